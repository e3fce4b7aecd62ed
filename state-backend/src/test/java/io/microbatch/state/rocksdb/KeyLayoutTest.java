package io.microbatch.state.rocksdb;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** Byte order of keys is the order the store relies on. */
class KeyLayoutTest {

  @Test
  void sortableTimestampsOrderLikeInstantsIncludingNegativeOnes() throws Exception {
    long[] millis = {
      BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis(), -1_000, -1, 0, 1, 1_000,
      BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis()
    };
    for (int i = 1; i < millis.length; i++) {
      byte[] lower = KeyLayout.sortableTimestamp(new Instant(millis[i - 1]));
      byte[] higher = KeyLayout.sortableTimestamp(new Instant(millis[i]));
      assertThat(Arrays.compareUnsigned(lower, higher), lessThan(0));
      assertThat(KeyLayout.readSortableLong(higher, 0), equalTo(millis[i]));
      // Identical to Beam's InstantCoder, so hold values are plain coder output.
      assertThat(Arrays.equals(higher,
          CoderUtils.encodeToByteArray(InstantCoder.of(), new Instant(millis[i]))), is(true));
    }
  }

  @Test
  void noCellPrefixStartsAnotherCellsPrefix() {
    byte[] a = KeyLayout.cellPrefix(new byte[] {1}, bytes("ns"), "ab");
    byte[] b = KeyLayout.cellPrefix(new byte[] {1}, bytes("nsa"), "b");
    byte[] c = KeyLayout.cellPrefix(new byte[] {1, 'n'}, bytes("s"), "ab");
    assertThat(KeyLayout.startsWith(a, b) || KeyLayout.startsWith(b, a), is(false));
    assertThat(KeyLayout.startsWith(a, c) || KeyLayout.startsWith(c, a), is(false));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void prefixEndIsTheFirstKeyAfterEveryKeyWithThePrefix() {
    assertThat(KeyLayout.prefixEnd(new byte[] {1, 2}), equalTo(new byte[] {1, 3}));
    assertThat(KeyLayout.prefixEnd(new byte[] {1, (byte) 0xFF}), equalTo(new byte[] {2}));
    assertThat(KeyLayout.prefixEnd(new byte[] {(byte) 0xFF}), equalTo(null));
  }
}
