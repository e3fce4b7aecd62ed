package io.microbatch.spark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParkedAfterCommitWorkTest {
  private final ParkedAfterCommitWork parked = new ParkedAfterCommitWork();
  private final List<String> ran = new ArrayList<>();

  private Runnable mark(String name) {
    return () -> ran.add(name);
  }

  @Test
  void aCommittedBatchGetsItsOwnCallbacksOnce() {
    parked.park("job", 3, List.of(mark("a"), mark("b")));
    parked.park("job", 3, List.of(mark("c")));
    parked.park("other", 3, List.of(mark("other")));
    parked.take("job", 3).forEach(Runnable::run);
    assertThat(ran, contains("a", "b", "c"));
    assertThat("taken once", parked.take("job", 3), empty());
  }

  @Test
  void callbacksOfEarlierFailedBatchesAreDroppedNotRun() {
    parked.park("job", 1, List.of(mark("failed batch")));
    parked.park("job", 2, List.of(mark("committed batch")));
    parked.take("job", 2).forEach(Runnable::run);
    assertThat(ran, contains("committed batch"));
    assertThat(parked.take("job", 1), empty());
  }

  @Test
  void theEndOfARunDropsWhatItsFailedBatchesLeft() {
    parked.park("job", 5, List.of(mark("x"), mark("y")));
    parked.park("other", 5, List.of(mark("z")));
    assertThat(parked.dropJob("job"), equalTo(2));
    assertThat(parked.take("job", 5), empty());
    assertThat(parked.take("other", 5).size(), equalTo(1));
  }
}
