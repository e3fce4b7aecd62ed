#!/usr/bin/env bash
# Profiles MicroBatch (batch mode) on one workload with JFR and prints the hotspots as Markdown.
#   benchmarks/profile.sh q5 [events]   -> benchmarks/target/profile-q5.jfr, benchmarks/target/profile-q5.md
# Assumes benchmarks/run.sh (or its build step) has built benchmarks/target/classes and classpath.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:?workload}; N=${2:-200000}
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
JFR=benchmarks/target/profile-$W.jfr
java -Xms4g -Xmx4g -XX:+UseParallelGC -XX:+FlightRecorder \
  -XX:StartFlightRecording=filename=$JFR,settings=profile,dumponexit=true \
  -cp "$CP" io.microbatch.benchmarks.harness.BenchmarkMain \
  --workload="$W" --runner=microbatch --events="$N" --runs=3 --warmups=1 2>&1 | grep -v ' INFO ' | grep -v '^{' >&2
jfr summary "$JFR" | grep -E 'jdk.ExecutionSample|Duration' >&2 || true
java -cp "$CP" io.microbatch.benchmarks.harness.JfrHotspots "$JFR" 15 | tee benchmarks/target/profile-$W.md
