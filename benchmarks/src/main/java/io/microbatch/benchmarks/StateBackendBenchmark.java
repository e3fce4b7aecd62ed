package io.microbatch.benchmarks;

import io.microbatch.state.ByteKey;
import io.microbatch.state.KeyedTimer;
import io.microbatch.state.PartitionState;
import io.microbatch.state.StateBackend;
import io.microbatch.state.memory.MemoryStateBackend;
import io.microbatch.state.rocksdb.RocksDbStateBackend;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.runners.core.StateTags;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.OrderedListState;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Operations per second of the state backends on one partition holding {@code keys} keys, each
 * with a value, a two-element bag, a map entry, a four-element ordered list and an event-time
 * timer. Keys are drawn uniformly at random; every {@value #OPS_PER_BATCH} operations the batch
 * commits, as the engine does at the end of a batch (reads included: the memory backend's working
 * copies are released at commit).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class StateBackendBenchmark {
  static final int OPS_PER_BATCH = 1_000;
  /** Keys of {@link #timerResetSameHotKeys}. */
  static final int HOT_KEYS = 100;
  private static final String PAYLOAD = "x".repeat(64);
  private static final StateNamespace WINDOW = StateNamespaces.window(
      IntervalWindow.getCoder(), new IntervalWindow(new Instant(0), new Instant(60_000)));
  /** Windows of {@link #valueWriteSlidingWindows} and {@link #timerResetSameSlidingWindows}. */
  static final int SLIDING_WINDOWS = 10;
  private static final StateTag<ValueState<String>> VALUE =
      StateTags.value("value", StringUtf8Coder.of());
  private static final StateTag<BagState<String>> BAG = StateTags.bag("bag", StringUtf8Coder.of());
  private static final StateTag<MapState<String, Integer>> MAP =
      StateTags.map("map", StringUtf8Coder.of(), VarIntCoder.of());
  private static final StateTag<OrderedListState<String>> ORDERED =
      StateTags.orderedList("ordered", StringUtf8Coder.of());

  @Param({"rocksdb", "memory"})
  public String backend;

  @Param({"1000000"})
  public int keys;

  private StateBackend stateBackend;
  private PartitionState partition;
  private ByteKey[] keyBytes;
  private long random = 0x9E3779B97F4A7C15L;
  private int pending;
  private long timerClock;

  @Setup(Level.Trial)
  public void populate() {
    stateBackend = backend.equals(RocksDbStateBackend.NAME)
        ? new RocksDbStateBackend()
        : new MemoryStateBackend();
    partition = stateBackend.open("benchmark", 0);
    keyBytes = new ByteKey[keys];
    for (int i = 0; i < keys; i++) {
      keyBytes[i] = ByteKey.of(new byte[] {
          (byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
      StateInternals state = state(i);
      state.state(WINDOW, VALUE).write(PAYLOAD);
      BagState<String> bag = state.state(WINDOW, BAG);
      bag.add(PAYLOAD);
      bag.add(PAYLOAD);
      state.state(WINDOW, MAP).put("field-" + (i % 8), i);
      OrderedListState<String> list = state.state(WINDOW, ORDERED);
      for (int t = 0; t < 1000; t += 250) {
        list.add(TimestampedValue.of(PAYLOAD, new Instant(i % 1000 + t)));
      }
      partition.timers().set(keyBytes[i], timer(i));
      if (i % 10_000 == 0) {
        partition.commit();
      }
    }
    partition.commit();
    timerClock = keys;
  }

  @TearDown(Level.Trial)
  public void close() {
    partition.close();
    stateBackend.close();
  }

  private static TimerData timer(long at) {
    return TimerData.of("timer", "", WINDOW, new Instant(at), new Instant(at),
        TimeDomain.EVENT_TIME);
  }

  private StateInternals state(int key) {
    return partition.stateFor(keyBytes[key], key);
  }

  private int nextKey() {
    random ^= random << 13;
    random ^= random >>> 7;
    random ^= random << 17;
    return (int) Long.remainderUnsigned(random, keys);
  }

  private void endOfOperation() {
    if (++pending == OPS_PER_BATCH) {
      partition.commit();
      pending = 0;
    }
  }

  @Benchmark
  public String valueRead() {
    String value = state(nextKey()).state(WINDOW, VALUE).read();
    endOfOperation();
    return value;
  }

  @Benchmark
  public void valueWrite() {
    state(nextKey()).state(WINDOW, VALUE).write(PAYLOAD);
    endOfOperation();
  }

  @Benchmark
  public void bagAppend() {
    state(nextKey()).state(WINDOW, BAG).add(PAYLOAD);
    endOfOperation();
  }

  @Benchmark
  public Iterable<String> bagRead() {
    Iterable<String> values = state(nextKey()).state(WINDOW, BAG).read();
    endOfOperation();
    return values;
  }

  @Benchmark
  public void mapPut() {
    int key = nextKey();
    state(key).state(WINDOW, MAP).put("field-" + (key % 8), key);
    endOfOperation();
  }

  @Benchmark
  public Integer mapGet() {
    int key = nextKey();
    Integer value = state(key).state(WINDOW, MAP).get("field-" + (key % 8)).read();
    endOfOperation();
    return value;
  }

  @Benchmark
  public void orderedListAdd() {
    int key = nextKey();
    state(key).state(WINDOW, ORDERED)
        .add(TimestampedValue.of(PAYLOAD, new Instant(key % 1000)));
    endOfOperation();
  }

  @Benchmark
  public Iterable<TimestampedValue<String>> orderedListReadRange() {
    Iterable<TimestampedValue<String>> values = state(nextKey()).state(WINDOW, ORDERED)
        .readRange(new Instant(200), new Instant(600));
    endOfOperation();
    return values;
  }

  /** Sets a timer on a random key after all pending ones, then fires the earliest due timer. */
  @Benchmark
  public KeyedTimer timerSetAndPoll() {
    int key = nextKey();
    partition.timers().set(keyBytes[key], timer(timerClock++));
    KeyedTimer due = partition.timers()
        .pollDue(TimeDomain.EVENT_TIME, new Instant(timerClock - keys + 1));
    endOfOperation();
    return due;
  }

  /**
   * Re-sets a random key's pending timer to the time it already has, as a keyed DoFn re-sets its
   * end-of-window timer (and runners-core its garbage-collection timer) for every element. With 1M
   * keys and 1,000 operations per batch nearly every set is the first of its timer in the batch.
   */
  @Benchmark
  public void timerResetSame() {
    int key = nextKey();
    partition.timers().set(keyBytes[key], timer(key));
    endOfOperation();
  }

  /**
   * As {@link #timerResetSame}, but on {@value #HOT_KEYS} keys only, so within a batch each timer
   * is re-set about ten times: elements of one key and window arriving in the same batch.
   */
  @Benchmark
  public void timerResetSameHotKeys() {
    int key = nextKey() % HOT_KEYS;
    partition.timers().set(keyBytes[key], timer(key));
    endOfOperation();
  }

  /**
   * A fresh namespace object for one of {@value #SLIDING_WINDOWS} one-minute windows sliding by
   * six seconds, as runners-core builds one per element and window: equal to earlier namespaces of
   * the same window, never the same object.
   */
  private static StateNamespace slidingWindow(int key) {
    long start = (key % SLIDING_WINDOWS) * 6_000L;
    return StateNamespaces.window(IntervalWindow.getCoder(),
        new IntervalWindow(new Instant(start), new Instant(start + 60_000)));
  }

  /** Writes a random key's value in one of several windows, through a new namespace object. */
  @Benchmark
  public void valueWriteSlidingWindows() {
    int key = nextKey();
    state(key).state(slidingWindow(key / HOT_KEYS), VALUE).write(PAYLOAD);
    endOfOperation();
  }

  /**
   * Re-sets the end-of-window timer of one of {@value #HOT_KEYS} keys in one of several windows,
   * through a new namespace object: after the first batch every set is an identical re-set, so
   * what is left is building the timer's identity key.
   */
  @Benchmark
  public void timerResetSameSlidingWindows() {
    int draw = nextKey();
    int key = draw % HOT_KEYS;
    StateNamespace window = slidingWindow(draw / HOT_KEYS);
    partition.timers().set(keyBytes[key], TimerData.of("timer", "", window,
        new Instant(60_000), new Instant(60_000), TimeDomain.EVENT_TIME));
    endOfOperation();
  }
}
