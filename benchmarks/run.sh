#!/usr/bin/env bash
# Nexmark-style runner comparison: every workload on the hand-written Java version, MicroBatch
# (batch, and streaming where the query is valid on unbounded input), the Direct runner and the
# Flink runner, each run in a fresh JVM with the same heap, warm-up excluded; then the per-batch
# overhead of MicroBatch streaming at 10 ms, 100 ms and 1 s; then the end-to-end latency in streaming
# mode (LatencyMain: passthrough and windowed pipelines, fixed-rate source, MicroBatch at several
# rates and intervals, the Direct runner at low rates). Writes benchmarks/target/results.jsonl,
# benchmarks/target/results.json and the results sections of docs/benchmarks.md.
#
#   benchmarks/run.sh                 # full run (about 25 minutes on 2 cores)
#   benchmarks/run.sh --quick         # smoke run on 2,000 events, one JVM per runner, 5 s latency runs (about 3 minutes), docs not touched
#   benchmarks/run.sh --latency-only  # only the latency runs (about 10 minutes); rewrites only the latency section
#   options: --no-flink  --workloads=q0,q7  --runs=N  --warmups=N  --no-docs  --no-latency
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

QUICK=0; FLINK=1; DOCS=1; RUNS=3; WARMUPS=1; ONLY=""; LATENCY=1; LATENCY_ONLY=0
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1; DOCS=0 ;;
    --no-flink) FLINK=0 ;;
    --no-docs) DOCS=0 ;;
    --no-latency) LATENCY=0 ;;
    --latency-only) LATENCY_ONLY=1; FLINK=0 ;;
    --runs=*) RUNS=${a#*=} ;;
    --warmups=*) WARMUPS=${a#*=} ;;
    --workloads=*) ONLY=${a#*=} ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done

HEAP=(-Xms4g -Xmx4g -XX:+UseParallelGC)
THREADS=2
SEED=42
# workload -> events (lines for wordcount): same count on every runner; sized so that the slowest
# runner's run takes seconds, not minutes.
# q5, counter and wordcount cost per key and window, and the Direct runner needs ~3 ms per event on
# q5's sliding windows, hence their small counts; the Direct runner gets one measured run on them.
declare -A EVENTS=(
  [q0]=1000000 [q1]=1000000 [q2]=1000000 [q3]=300000 [q5]=5000 [q7]=1000000 [q8]=200000
  [q11]=100000 [q12]=100000 [counter]=100000 [wordcount]=100000
)
declare -A DIRECT_RUNS=([q5]=1 [counter]=1 [wordcount]=1)
# Workloads valid on unbounded input. WordCount, and q12's re-summing of its panes, aggregate in the
# global window with the default trigger, which Beam rejects for unbounded input: batch only.
STREAMING="q0 q1 q2 q3 q5 q7 q8 q11 counter"
ORDER="q0 q1 q2 q3 q5 q7 q8 q11 q12 counter wordcount"
INTERVALS="10 100 1000"
OVERHEAD_SECONDS=10
# Latency runs, one fresh JVM each: "runner pipeline events-per-second interval-ms" (interval "-" for
# Direct). The Direct runner reads unbounded sources in small bundles and falls behind well below
# 10,000 events/s here, so it also runs at 1,000/s, where MicroBatch runs once too for comparison.
LATENCY_CONFIGS=()
for pl in passthrough windowed; do
  for r in 10000 50000; do
    for i in 10 100 1000; do LATENCY_CONFIGS+=("microbatch $pl $r $i"); done
  done
  LATENCY_CONFIGS+=("microbatch $pl 1000 100" "direct $pl 1000 -" "direct $pl 10000 -")
done
LATENCY_SECONDS=20; LATENCY_WARMUP=5
if [[ $QUICK == 1 ]]; then
  # Smoke run: 2,000 events, one unmeasured and one measured run, all workloads in one JVM per runner.
  RUNS=1; WARMUPS=0; INTERVALS="10 100"; OVERHEAD_SECONDS=3; QUICK_EVENTS=2000
  LATENCY_CONFIGS=("microbatch passthrough 10000 100" "microbatch windowed 10000 100" "direct passthrough 1000 -")
  LATENCY_SECONDS=3; LATENCY_WARMUP=2
fi
[[ -n "$ONLY" ]] && ORDER=${ONLY//,/ }
if [[ $LATENCY_ONLY == 1 ]]; then
  QUICK=0; ORDER=""; INTERVALS=""; LATENCY=1
fi

OUT=benchmarks/target/results.jsonl
LOG=benchmarks/target/run.log
mkdir -p benchmarks/target
: > "$OUT"; : > "$LOG"

echo "== building benchmarks (reactor, no install)"
# One reactor invocation, so that the classpath names this tree's module jars, not whatever an
# earlier `mvn install` left in ~/.m2.
mvn -B -q ${MVN_FLAGS:-} -pl benchmarks -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
CP="$ROOT/benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"

FLINK_CP=""
if [[ $FLINK == 1 ]]; then
  echo "== building the Flink variant (benchmarks/flink/pom.xml, Beam 2.70.0)"
  if (cd benchmarks/flink && mvn -B -q package -DskipTests \
        && mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime) >>"$LOG" 2>&1; then
    FLINK_CP="$ROOT/benchmarks/flink/target/classes:$(cat benchmarks/flink/target/classpath.txt)"
  else
    echo "   Flink build failed (see $LOG); Flink is left out of this run" >&2
  fi
fi
FLINK_OPENS=()
for p in java.lang java.util java.lang.reflect java.nio java.net java.io java.text java.time java.util.concurrent; do
  FLINK_OPENS+=(--add-opens "java.base/$p=ALL-UNNAMED")
done

bench() { # classpath, jvm-extra..., -- , args...
  local cp=$1; shift
  local jvm=()
  while [[ $1 != -- ]]; do jvm+=("$1"); shift; done; shift
  echo "   $*"
  if ! timeout 900 java "${HEAP[@]}" "${jvm[@]}" -cp "$cp" io.microbatch.benchmarks.harness.BenchmarkMain \
      --seed=$SEED --threads=$THREADS --runs="$RUNS" --warmups="$WARMUPS" --out="$OUT" "$@" \
      >>"$LOG" 2> >(grep -v ' INFO ' | tee -a "$LOG" >&2); then
    echo "   FAILED: $* (see $LOG)" >&2
  fi
}

START=$(date +%s)
if [[ $QUICK == 1 ]]; then
  all=${ORDER// /,}
  streaming=""
  for w in $ORDER; do
    if [[ " $STREAMING " == *" $w "* ]]; then streaming+="$w,"; fi
  done
  streaming=${streaming%,}
  echo "== quick: $all ($QUICK_EVENTS events), one JVM per runner"
  bench "$CP" -- --workload="$all" --events=$QUICK_EVENTS --runner=java
  bench "$CP" -- --workload="$all" --events=$QUICK_EVENTS --runner=microbatch
  if [[ -n "$streaming" ]]; then
    bench "$CP" -- --workload="$streaming" --events=$QUICK_EVENTS --runner=microbatch \
      --mode=streaming --streaming=true --batchIntervalMillis=100
  fi
  bench "$CP" -- --workload="$all" --events=$QUICK_EVENTS --runner=direct
  if [[ -n "$FLINK_CP" ]]; then
    bench "$FLINK_CP" "${FLINK_OPENS[@]}" -- --workload="$all" --events=$QUICK_EVENTS --runner=flink
  fi
  ORDER=""
fi
for w in $ORDER; do
  n=${EVENTS[$w]}
  echo "== $w ($n events)"
  bench "$CP" -- --workload=$w --events=$n --runner=java
  bench "$CP" -- --workload=$w --events=$n --runner=microbatch
  if [[ " $STREAMING " == *" $w "* ]]; then
    bench "$CP" -- --workload=$w --events=$n --runner=microbatch --mode=streaming --streaming=true --batchIntervalMillis=100
  fi
  bench "$CP" -- --workload=$w --events=$n --runner=direct --runs="${DIRECT_RUNS[$w]:-$RUNS}"
  if [[ -n "$FLINK_CP" ]]; then
    bench "$FLINK_CP" "${FLINK_OPENS[@]}" -- --workload=$w --events=$n --runner=flink
  fi
done

echo "== per-batch overhead, MicroBatch streaming"
for i in $INTERVALS; do
  s=$OVERHEAD_SECONDS; [[ $i -ge 1000 ]] && s=$((OVERHEAD_SECONDS * 3))
  echo "   interval $i ms, ${s} s"
  timeout 300 java "${HEAP[@]}" -cp "$CP" io.microbatch.benchmarks.microbatch.BatchOverheadMain \
    --intervalMillis=$i --seconds=$s --warmupSeconds=2 --out="$OUT" >>"$LOG" 2>&1 || echo "   FAILED (see $LOG)" >&2
done
if [[ $LATENCY == 1 ]]; then
  echo "== end-to-end latency, streaming (${LATENCY_SECONDS} s measured after ${LATENCY_WARMUP} s warm-up)"
  for c in "${LATENCY_CONFIGS[@]}"; do
    read -r runner pipeline rate interval <<<"$c"
    args=(--runner="$runner" --pipeline="$pipeline" --eventsPerSecond="$rate")
    [[ $interval != - ]] && args+=(--intervalMillis="$interval")
    echo "   ${args[*]}"
    timeout 300 java "${HEAP[@]}" -cp "$CP" io.microbatch.benchmarks.microbatch.LatencyMain "${args[@]}" \
      --threads=$THREADS --seconds=$LATENCY_SECONDS --warmupSeconds=$LATENCY_WARMUP --out="$OUT" \
      >>"$LOG" 2>&1 || echo "   FAILED (see $LOG)" >&2
  done
fi
echo "== done in $(( $(date +%s) - START )) s"

MACHINE="$(nproc) vCPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), \
$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, \
$(. /etc/os-release && echo "$PRETTY_NAME"), $(java -version 2>&1 | head -1), \
load average before the report: $(cut -d' ' -f1-3 /proc/loadavg)"
REPORT=(--in="$OUT" --json=benchmarks/target/results.json --date="$(date -u +%Y-%m-%dT%H:%MZ)"
        --machine="$MACHINE" --command="benchmarks/run.sh $*")
if [[ $DOCS == 1 ]]; then
  java -cp "$CP" io.microbatch.benchmarks.harness.ReportMain "${REPORT[@]}" --markdown=docs/benchmarks.md
else
  cp docs/benchmarks.md benchmarks/target/benchmarks-preview.md
  java -cp "$CP" io.microbatch.benchmarks.harness.ReportMain "${REPORT[@]}" --markdown=benchmarks/target/benchmarks-preview.md
fi
echo "results: benchmarks/target/results.json"
