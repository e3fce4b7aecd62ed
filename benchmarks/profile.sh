#!/usr/bin/env bash
# Profiles MicroBatch (batch mode) on one workload with JFR and prints the hotspots of the engine's
# partition tasks (samples with PartitionTask.call on the stack) as Markdown.
#   benchmarks/profile.sh q5 [events]   -> benchmarks/target/profile-q5.jfr, benchmarks/target/profile-q5.md
# Assumes benchmarks/run.sh (or its build step) has built benchmarks/target/classes and classpath.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:?workload}; N=${2:-200000}
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
JFR=benchmarks/target/profile-$W.jfr
# JFR's "profile" settings with Java method sampling every 1 ms instead of 10 ms (short runs).
JH=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
JFC=benchmarks/target/profile-1ms.jfc
sed 's|<setting name="period" control="method-sampling-java-interval">10 ms</setting>|<setting name="period" control="method-sampling-java-interval">1 ms</setting>|' \
  "$JH/lib/jfr/profile.jfc" > "$JFC"
java -Xms4g -Xmx4g -XX:+UseParallelGC -XX:+FlightRecorder \
  -XX:StartFlightRecording=filename=$JFR,settings=$PWD/$JFC,dumponexit=true \
  -cp "$CP" io.microbatch.benchmarks.harness.BenchmarkMain \
  --workload="$W" --runner=microbatch --events="$N" --runs=3 --warmups=1 2>&1 | grep -v ' INFO ' | grep -v '^{' >&2
jfr summary "$JFR" | grep -E 'jdk.ExecutionSample|Duration' >&2 || true
java -cp "$CP" io.microbatch.benchmarks.harness.JfrHotspots "$JFR" 20 PartitionTask.call | tee benchmarks/target/profile-$W.md
