package io.microbatch.state;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.emptyIterable;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.runners.core.StateTags;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.CombiningState;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.MultimapState;
import org.apache.beam.sdk.state.OrderedListState;
import org.apache.beam.sdk.state.SetState;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.state.WatermarkHoldState;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link PartitionState} must show, whatever keeps the data: timer order and
 * identity, holds, ordered lists, atomic batches and garbage collection down to an empty store.
 */
public abstract class PartitionStateContract {
  protected static final StateNamespace WINDOW_0_10 =
      StateNamespaces.window(IntervalWindow.getCoder(), window(0, 10));
  protected static final StateNamespace WINDOW_10_20 =
      StateNamespaces.window(IntervalWindow.getCoder(), window(10, 20));
  private static final ByteKey KEY_A = key("a");
  private static final ByteKey KEY_B = key("b");
  private static final ByteKey KEY_C = key("c");

  private static final StateTag<ValueState<String>> VALUE =
      StateTags.value("value", StringUtf8Coder.of());
  private static final StateTag<BagState<String>> BAG = StateTags.bag("bag", StringUtf8Coder.of());
  private static final StateTag<SetState<String>> SET = StateTags.set("set", StringUtf8Coder.of());
  private static final StateTag<MapState<String, Integer>> MAP =
      StateTags.map("map", StringUtf8Coder.of(), VarIntCoder.of());
  private static final StateTag<MultimapState<String, Integer>> MULTIMAP =
      StateTags.tagForSpec("multimap", StateSpecs.multimap(StringUtf8Coder.of(), VarIntCoder.of()));
  private static final StateTag<OrderedListState<String>> ORDERED =
      StateTags.orderedList("ordered", StringUtf8Coder.of());
  private static final StateTag<CombiningState<Integer, int[], Integer>> SUM =
      StateTags.combiningValueFromInputInternal("sum", VarIntCoder.of(), Sum.ofIntegers());

  protected PartitionState partition;

  /** A new, empty partition of the backend under test. */
  protected abstract PartitionState openPartition();

  @BeforeEach
  void open() {
    partition = openPartition();
  }

  @AfterEach
  void close() {
    partition.close();
  }

  protected static IntervalWindow window(long start, long end) {
    return new IntervalWindow(new Instant(start), new Instant(end));
  }

  protected static ByteKey key(String name) {
    return ByteKey.of(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private StateInternals state(ByteKey key) {
    return partition.stateFor(key, new String(key.bytes(), java.nio.charset.StandardCharsets.UTF_8));
  }

  private static TimerData timer(String id, String family, long at, long output, TimeDomain domain) {
    return TimerData.of(id, family, WINDOW_0_10, new Instant(at), new Instant(output), domain);
  }

  private static TimerData eventTimer(String id, long at) {
    return timer(id, "", at, at, TimeDomain.EVENT_TIME);
  }

  private List<String> pollAll(TimeDomain domain, long limit) {
    List<String> fired = new ArrayList<>();
    KeyedTimer due;
    while ((due = partition.timers().pollDue(domain, new Instant(limit))) != null) {
      fired.add(new String(due.key().bytes(), java.nio.charset.StandardCharsets.UTF_8) + ":"
          + due.timer().getTimerId() + "@" + due.timer().getTimestamp().getMillis());
    }
    return fired;
  }

  @Test
  void firesDueTimersInTimestampOrderAcrossKeysAndOnlyInTheirDomain() {
    partition.timers().set(KEY_B, eventTimer("t", 30));
    partition.timers().set(KEY_A, eventTimer("t", 20));
    partition.timers().set(KEY_C, eventTimer("t", 10));
    partition.timers().set(KEY_A, timer("p", "", 5, 5, TimeDomain.PROCESSING_TIME));
    partition.timers().set(KEY_A, eventTimer("late", 100));

    assertThat(pollAll(TimeDomain.EVENT_TIME, 31), contains("c:t@10", "a:t@20", "b:t@30"));
    assertThat(pollAll(TimeDomain.PROCESSING_TIME, 6), contains("a:p@5"));
    assertThat(partition.timers().nextTimestamp(TimeDomain.EVENT_TIME), equalTo(new Instant(100)));
    assertThat(partition.timers().nextTimestamp(TimeDomain.PROCESSING_TIME), nullValue());
  }

  @Test
  void pollDueReturnsOnlyTimersStrictlyBeforeTheLimit() {
    partition.timers().set(KEY_A, eventTimer("t", 20));

    assertThat(partition.timers().pollDue(TimeDomain.EVENT_TIME, new Instant(20)), nullValue());
    KeyedTimer due = partition.timers().pollDue(TimeDomain.EVENT_TIME, new Instant(21));
    assertThat(due.key(), equalTo(KEY_A));
    assertThat(due.timer(), equalTo(eventTimer("t", 20)));
    assertThat(partition.timers().isEmpty(), is(true));
  }

  @Test
  void settingATimerAgainReplacesItEvenInAnotherDomain() {
    partition.timers().set(KEY_A, eventTimer("t", 20));
    partition.timers().set(KEY_A, eventTimer("t", 40));
    partition.timers().set(KEY_A, timer("t", "", 50, 45, TimeDomain.PROCESSING_TIME));

    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), emptyIterable());
    assertThat(partition.timers().earliestOutputTimestamp(), equalTo(new Instant(45)));
    assertThat(pollAll(TimeDomain.PROCESSING_TIME, 1000), contains("a:t@50"));
    assertThat(partition.timers().isEmpty(), is(true));
  }

  @Test
  void deletingATimerRemovesItFromTheDueAndOutputIndexes() {
    partition.timers().set(KEY_A, eventTimer("t", 20));
    partition.timers().set(KEY_B, eventTimer("t", 30));
    partition.timers().delete(KEY_A, WINDOW_0_10, "t", "");
    partition.timers().delete(KEY_C, WINDOW_0_10, "never-set", "");

    assertThat(partition.timers().nextTimestamp(TimeDomain.EVENT_TIME), equalTo(new Instant(30)));
    assertThat(partition.timers().earliestOutputTimestamp(), equalTo(new Instant(30)));
    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), contains("b:t@30"));
  }

  @Test
  void deletingANamespaceRemovesEveryTimerOfThatKeyAndWindowOnly() {
    partition.timers().set(KEY_A, timer("t", "", 10, 10, TimeDomain.EVENT_TIME));
    partition.timers().set(KEY_A, timer("p", "family", 20, 5, TimeDomain.PROCESSING_TIME));
    partition.timers().set(KEY_A, TimerData.of("t", "", WINDOW_10_20, new Instant(30),
        new Instant(30), TimeDomain.EVENT_TIME));
    partition.timers().set(KEY_B, timer("t", "", 40, 40, TimeDomain.EVENT_TIME));
    partition.commit();

    partition.timers().deleteNamespace(KEY_A, WINDOW_0_10);
    assertThat(partition.timers().nextTimestamp(TimeDomain.PROCESSING_TIME), nullValue());
    assertThat(partition.timers().earliestOutputTimestamp(), equalTo(new Instant(30)));
    partition.abort();
    assertThat(partition.timers().earliestOutputTimestamp(), equalTo(new Instant(5)));

    partition.timers().deleteNamespace(KEY_A, WINDOW_0_10);
    partition.commit();
    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), contains("a:t@30", "b:t@40"));
    assertThat(pollAll(TimeDomain.PROCESSING_TIME, 1000), emptyIterable());
  }

  @Test
  void timersOfDifferentFamiliesOrNamespacesWithTheSameIdAreDistinct() {
    partition.timers().set(KEY_A, timer("t", "family-1", 10, 10, TimeDomain.EVENT_TIME));
    partition.timers().set(KEY_A, timer("t", "family-2", 20, 20, TimeDomain.EVENT_TIME));
    partition.timers().set(KEY_A, TimerData.of("t", "family-1", WINDOW_10_20, new Instant(30),
        new Instant(30), TimeDomain.EVENT_TIME));
    partition.timers().delete(KEY_A, WINDOW_0_10, "t", "family-2");

    KeyedTimer first = partition.timers().pollDue(TimeDomain.EVENT_TIME, new Instant(1000));
    KeyedTimer second = partition.timers().pollDue(TimeDomain.EVENT_TIME, new Instant(1000));
    assertThat(first.timer().getTimerFamilyId(), equalTo("family-1"));
    assertThat(first.timer().getNamespace(), equalTo(WINDOW_0_10));
    assertThat(second.timer().getNamespace(), equalTo(WINDOW_10_20));
    assertThat(partition.timers().pollDue(TimeDomain.EVENT_TIME, new Instant(1000)), nullValue());
  }

  @Test
  void reSettingAnIdenticalTimerKeepsOneDueFiring() {
    for (int i = 0; i < 5; i++) {
      partition.timers().set(KEY_A, eventTimer("t", 20));
    }
    partition.commit();
    for (int i = 0; i < 5; i++) {
      partition.timers().set(KEY_A, eventTimer("t", 20));
    }
    partition.commit();

    assertThat(partition.timers().earliestOutputTimestamp(), equalTo(new Instant(20)));
    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), contains("a:t@20"));
    assertThat(partition.timers().earliestOutputTimestamp(), nullValue());
    assertThat(partition.timers().isEmpty(), is(true));
  }

  @Test
  void reSettingATimerWithAnotherOutputTimestampOrDomainReplacesIt() {
    partition.timers().set(KEY_A, timer("t", "", 20, 20, TimeDomain.EVENT_TIME));
    partition.commit();

    partition.timers().set(KEY_A, timer("t", "", 20, 15, TimeDomain.EVENT_TIME));
    assertThat(partition.timers().earliestOutputTimestamp(), equalTo(new Instant(15)));
    partition.timers().set(KEY_A, timer("t", "", 20, 15, TimeDomain.PROCESSING_TIME));
    assertThat(partition.timers().nextTimestamp(TimeDomain.EVENT_TIME), nullValue());
    assertThat(pollAll(TimeDomain.PROCESSING_TIME, 1000), contains("a:t@20"));
    assertThat(partition.timers().isEmpty(), is(true));
  }

  @Test
  void aTimerFiredInTheBatchAndSetIdenticallyAgainFiresAgain() {
    partition.timers().set(KEY_A, eventTimer("t", 20));
    partition.commit();

    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), contains("a:t@20"));
    partition.timers().set(KEY_A, eventTimer("t", 20));
    assertThat(partition.timers().nextTimestamp(TimeDomain.EVENT_TIME), equalTo(new Instant(20)));
    partition.commit();

    // The same within one batch: set, fired, set again.
    partition.timers().set(KEY_B, eventTimer("t", 30));
    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), contains("a:t@20", "b:t@30"));
    partition.timers().set(KEY_B, eventTimer("t", 30));
    partition.commit();
    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), contains("b:t@30"));
    assertThat(partition.timers().isEmpty(), is(true));
  }

  @Test
  void settingThenDeletingATimerInOneBatchLeavesNoTimer() {
    partition.timers().set(KEY_A, eventTimer("t", 20));
    partition.timers().set(KEY_A, eventTimer("t", 20));
    partition.timers().delete(KEY_A, WINDOW_0_10, "t", "");
    assertThat(partition.timers().nextTimestamp(TimeDomain.EVENT_TIME), nullValue());
    assertThat(partition.timers().earliestOutputTimestamp(), nullValue());
    partition.commit();
    assertThat(partition.timers().isEmpty(), is(true));

    partition.timers().set(KEY_B, eventTimer("u", 30));
    partition.commit();
    partition.timers().set(KEY_B, eventTimer("u", 40));
    partition.timers().delete(KEY_B, WINDOW_0_10, "u", "");
    partition.timers().set(KEY_B, eventTimer("u", 30));
    partition.commit();
    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), contains("b:u@30"));
    assertThat(partition.timers().isEmpty(), is(true));
  }

  @Test
  void anAbortedBatchsSetsAreDroppedAndSettingThemAgainAfterwardsTakesEffect() {
    partition.timers().set(KEY_A, eventTimer("t", 10));
    partition.commit();

    partition.timers().set(KEY_A, eventTimer("t", 20));
    partition.timers().set(KEY_B, eventTimer("u", 5));
    partition.timers().set(KEY_B, eventTimer("u", 5));
    partition.timers().delete(KEY_A, WINDOW_0_10, "t", "");
    partition.timers().set(KEY_A, eventTimer("t", 20));
    partition.abort();
    assertThat(partition.timers().nextTimestamp(TimeDomain.EVENT_TIME), equalTo(new Instant(10)));
    assertThat(partition.timers().earliestOutputTimestamp(), equalTo(new Instant(10)));

    // The retried batch sets what the aborted one did: each set must be written again.
    partition.timers().set(KEY_A, eventTimer("t", 20));
    partition.timers().set(KEY_B, eventTimer("u", 5));
    partition.commit();
    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), contains("b:u@5", "a:t@20"));
    partition.abort();
    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), contains("b:u@5", "a:t@20"));
    partition.commit();

    partition.timers().set(KEY_C, eventTimer("v", 7));
    partition.abort();
    partition.timers().set(KEY_C, eventTimer("v", 7));
    partition.commit();
    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), contains("c:v@7"));
  }

  @Test
  void dueTimersComeInTimestampOrderWithTheBatchsPendingSetsAndDeletes() {
    partition.timers().set(KEY_A, eventTimer("t", 10));
    partition.timers().set(KEY_B, eventTimer("t", 20));
    partition.timers().set(KEY_C, eventTimer("t", 30));
    partition.commit();

    partition.timers().set(KEY_A, eventTimer("t", 10));
    partition.timers().set(KEY_B, eventTimer("t", 5));
    partition.timers().delete(KEY_C, WINDOW_0_10, "t", "");
    partition.timers().set(KEY_C, eventTimer("d", 15));
    partition.timers().set(KEY_C, eventTimer("d", 15));
    assertThat(partition.timers().nextTimestamp(TimeDomain.EVENT_TIME), equalTo(new Instant(5)));
    assertThat(pollAll(TimeDomain.EVENT_TIME, 11), contains("b:t@5", "a:t@10"));
    // Set again as it was after it fired in this batch: pending once more.
    partition.timers().set(KEY_A, eventTimer("t", 10));
    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), contains("a:t@10", "c:d@15"));

    partition.abort();
    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), contains("a:t@10", "b:t@20", "c:t@30"));
  }

  @Test
  void pendingTimersHoldTheOutputWatermarkAtTheirEarliestOutputTimestamp() {
    partition.timers().set(KEY_A, timer("t", "", 100, 7, TimeDomain.EVENT_TIME));
    partition.timers().set(KEY_B, timer("t", "", 50, 9, TimeDomain.EVENT_TIME));

    assertThat(partition.timers().earliestOutputTimestamp(), equalTo(new Instant(7)));
    pollAll(TimeDomain.EVENT_TIME, 60);
    assertThat(partition.timers().earliestOutputTimestamp(), equalTo(new Instant(7)));
    pollAll(TimeDomain.EVENT_TIME, 101);
    assertThat(partition.timers().earliestOutputTimestamp(), nullValue());
  }

  @Test
  void earliestHoldIsTheMinimumOverKeysAndWindowsAndFollowsClears() {
    StateTag<WatermarkHoldState> hold =
        StateTags.watermarkStateInternal("hold", TimestampCombiner.EARLIEST);
    assertThat(partition.earliestHold(), nullValue());
    state(KEY_A).state(WINDOW_0_10, hold).add(new Instant(8));
    state(KEY_B).state(WINDOW_10_20, hold).add(new Instant(15));
    state(KEY_B).state(WINDOW_0_10, hold).add(new Instant(3));
    assertThat(partition.earliestHold(), equalTo(new Instant(3)));

    state(KEY_B).state(WINDOW_0_10, hold).clear();
    assertThat(partition.earliestHold(), equalTo(new Instant(8)));
    partition.commit();
    state(KEY_A).state(WINDOW_0_10, hold).add(new Instant(2));
    assertThat(partition.earliestHold(), equalTo(new Instant(2)));
  }

  @Test
  void watermarkHoldsCombineWithEveryTimestampCombiner() {
    for (TimestampCombiner combiner : TimestampCombiner.values()) {
      WatermarkHoldState hold = state(KEY_A).state(WINDOW_0_10,
          StateTags.watermarkStateInternal("hold-" + combiner, combiner));
      hold.add(new Instant(5));
      hold.add(new Instant(3));
      hold.add(new Instant(9));
      Instant expected = combiner.combine(new Instant(5), new Instant(3), new Instant(9));
      assertThat(combiner.toString(), hold.read(), equalTo(expected));
      assertThat(hold.getTimestampCombiner(), equalTo(combiner));
    }
    // The partition's hold is the minimum over the three cells' combined holds.
    assertThat(partition.earliestHold(), equalTo(new Instant(3)));
  }

  @Test
  void orderedListReadsAndClearsHalfOpenTimestampRanges() {
    OrderedListState<String> list = state(KEY_A).state(WINDOW_0_10, ORDERED);
    list.add(TimestampedValue.of("c", new Instant(30)));
    list.add(TimestampedValue.of("a", new Instant(-10)));
    list.add(TimestampedValue.of("b1", new Instant(20)));
    list.add(TimestampedValue.of("b2", new Instant(20)));
    list.add(TimestampedValue.of("d", new Instant(40)));

    assertThat(values(list.read()), contains("a", "b1", "b2", "c", "d"));
    assertThat(values(list.readRange(new Instant(20), new Instant(40))), contains("b1", "b2", "c"));
    assertThat(values(list.readRange(new Instant(40), new Instant(40))), emptyIterable());
    assertThat(list.readRange(new Instant(-10), new Instant(-9)).iterator().next(),
        equalTo(TimestampedValue.of("a", new Instant(-10))));

    list.clearRange(new Instant(20), new Instant(31));
    assertThat(values(list.read()), contains("a", "d"));
    assertThat(list.isEmpty().read(), is(false));
    list.clearRange(new Instant(-100), new Instant(100));
    assertThat(list.isEmpty().read(), is(true));
  }

  private static List<String> values(Iterable<TimestampedValue<String>> values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(v.getValue()));
    return out;
  }

  @Test
  void cellsWhoseKeysOrIdsArePrefixesOfEachOtherStayApart() {
    StateInternals shortKey = partition.stateFor(ByteKey.of(new byte[] {1}), "k1");
    StateInternals longKey = partition.stateFor(ByteKey.of(new byte[] {1, 1}), "k11");
    shortKey.state(WINDOW_0_10, BAG).add("short-key");
    longKey.state(WINDOW_0_10, BAG).add("long-key");
    shortKey.state(WINDOW_0_10, StateTags.bag("ba", StringUtf8Coder.of())).add("short-id");
    shortKey.state(WINDOW_0_10, StateTags.bag("bagg", StringUtf8Coder.of())).add("long-id");

    assertThat(shortKey.state(WINDOW_0_10, BAG).read(), contains("short-key"));
    assertThat(longKey.state(WINDOW_0_10, BAG).read(), contains("long-key"));
    shortKey.state(WINDOW_0_10, BAG).clear();
    assertThat(longKey.state(WINDOW_0_10, BAG).read(), contains("long-key"));
    assertThat(shortKey.state(WINDOW_0_10, StateTags.bag("bagg", StringUtf8Coder.of())).read(),
        contains("long-id"));
  }

  @Test
  void multimapKeepsEveryValuePutPerKey() {
    MultimapState<String, Integer> multimap = state(KEY_A).state(WINDOW_0_10, MULTIMAP);
    multimap.put("x", 1);
    multimap.put("y", 2);
    multimap.put("x", 1);
    multimap.put("x", 3);

    assertThat(multimap.get("x").read(), contains(1, 1, 3));
    assertThat(multimap.keys().read(), containsInAnyOrder("x", "y"));
    assertThat(multimap.containsKey("y").read(), is(true));
    multimap.remove("x");
    assertThat(multimap.get("x").read(), emptyIterable());
    assertThat(multimap.entries().read(), contains(Map.entry("y", 2)));
  }

  @Test
  void readsInsideABatchSeeTheBatchsOwnWrites() {
    state(KEY_A).state(WINDOW_0_10, BAG).add("committed");
    partition.commit();

    BagState<String> bag = state(KEY_A).state(WINDOW_0_10, BAG);
    bag.add("pending");
    MapState<String, Integer> map = state(KEY_A).state(WINDOW_0_10, MAP);
    map.put("k", 1);
    partition.timers().set(KEY_A, eventTimer("t", 10));

    assertThat(state(KEY_A).state(WINDOW_0_10, BAG).read(), contains("committed", "pending"));
    assertThat(state(KEY_A).state(WINDOW_0_10, MAP).get("k").read(), equalTo(1));
    assertThat(partition.timers().nextTimestamp(TimeDomain.EVENT_TIME), equalTo(new Instant(10)));
  }

  @Test
  void writesOfAnAbortedBatchAreDiscardedAndCommittedOnesKept() {
    state(KEY_A).state(WINDOW_0_10, VALUE).write("v1");
    state(KEY_A).state(WINDOW_0_10, SUM).add(5);
    partition.timers().set(KEY_A, eventTimer("t", 10));
    partition.commit();

    state(KEY_A).state(WINDOW_0_10, VALUE).write("v2");
    state(KEY_A).state(WINDOW_0_10, SUM).add(100);
    state(KEY_B).state(WINDOW_0_10, BAG).add("lost");
    state(KEY_B).state(WINDOW_0_10, StateTags.watermarkStateInternal("hold",
        TimestampCombiner.EARLIEST)).add(new Instant(1));
    partition.timers().set(KEY_A, eventTimer("t", 99));
    partition.timers().set(KEY_B, eventTimer("u", 1));
    assertThat(pollAll(TimeDomain.EVENT_TIME, 2), contains("b:u@1"));
    partition.abort();

    assertThat(state(KEY_A).state(WINDOW_0_10, VALUE).read(), equalTo("v1"));
    assertThat(state(KEY_A).state(WINDOW_0_10, SUM).read(), equalTo(5));
    assertThat(state(KEY_B).state(WINDOW_0_10, BAG).read(), emptyIterable());
    assertThat(partition.earliestHold(), nullValue());
    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), contains("a:t@10"));

    partition.abort();
    assertThat(partition.timers().nextTimestamp(TimeDomain.EVENT_TIME), equalTo(new Instant(10)));
    state(KEY_A).state(WINDOW_0_10, VALUE).write("v3");
    partition.commit();
    partition.abort();
    assertThat(state(KEY_A).state(WINDOW_0_10, VALUE).read(), equalTo("v3"));
  }

  @Test
  void timersFiredAndHoldsClearedInAnAbortedBatchAreBackAfterTheAbort() {
    StateTag<WatermarkHoldState> hold =
        StateTags.watermarkStateInternal("hold", TimestampCombiner.EARLIEST);
    partition.timers().set(KEY_A, eventTimer("t", 10));
    partition.timers().set(KEY_B, eventTimer("t", 20));
    state(KEY_A).state(WINDOW_0_10, hold).add(new Instant(5));
    state(KEY_B).state(WINDOW_0_10, hold).add(new Instant(8));
    partition.commit();

    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), contains("a:t@10", "b:t@20"));
    assertThat(partition.timers().earliestOutputTimestamp(), nullValue());
    state(KEY_A).state(WINDOW_0_10, hold).clear();
    assertThat(partition.earliestHold(), equalTo(new Instant(8)));
    partition.abort();

    assertThat(partition.earliestHold(), equalTo(new Instant(5)));
    assertThat(partition.timers().earliestOutputTimestamp(), equalTo(new Instant(10)));
    assertThat(partition.timers().nextTimestamp(TimeDomain.EVENT_TIME), equalTo(new Instant(10)));
    assertThat(pollAll(TimeDomain.EVENT_TIME, 1000), contains("a:t@10", "b:t@20"));
  }

  @Test
  void isEmptyOnlyOnceEveryStateCellAndTimerIsCleared() {
    assertThat(partition.isEmpty(), is(true));
    StateInternals a = state(KEY_A);
    a.state(WINDOW_0_10, VALUE).write("v");
    a.state(WINDOW_0_10, BAG).add("b");
    a.state(WINDOW_0_10, SET).add("s");
    a.state(WINDOW_0_10, MAP).put("m", 1);
    a.state(WINDOW_0_10, MULTIMAP).put("mm", 1);
    a.state(WINDOW_0_10, ORDERED).add(TimestampedValue.of("o", new Instant(1)));
    a.state(WINDOW_0_10, SUM).add(1);
    a.state(WINDOW_10_20, StateTags.watermarkStateInternal("hold", TimestampCombiner.LATEST))
        .add(new Instant(12));
    partition.timers().set(KEY_B, eventTimer("gc", 10));
    partition.commit();
    assertThat(partition.isEmpty(), is(false));

    a = state(KEY_A);
    a.state(WINDOW_0_10, VALUE).clear();
    a.state(WINDOW_0_10, BAG).clear();
    a.state(WINDOW_0_10, SET).clear();
    a.state(WINDOW_0_10, MAP).clear();
    a.state(WINDOW_0_10, MULTIMAP).clear();
    a.state(WINDOW_0_10, ORDERED).clear();
    a.state(WINDOW_0_10, SUM).clear();
    assertThat(partition.isEmpty(), is(false));
    a.state(WINDOW_10_20, StateTags.watermarkStateInternal("hold", TimestampCombiner.LATEST))
        .clear();
    assertThat(partition.isEmpty(), is(false));
    assertThat(pollAll(TimeDomain.EVENT_TIME, 11), contains("b:gc@10"));
    partition.commit();

    assertThat(partition.isEmpty(), is(true));
    assertThat(partition.earliestHold(), nullValue());
    assertThat(partition.timers().earliestOutputTimestamp(), nullValue());
  }
}
