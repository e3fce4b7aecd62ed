#!/usr/bin/env bash
# Issue #10 item 4: figures of the Spark executor on a local 1- and 2-worker cluster, next to the
# local executor's (io.microbatch.spark.bench.SparkClusterBenchmark, a main in the test sources).
#
#   spark-executor/bench.sh [--quick] [--only=throughput,overhead,recovery] [--batchRecords=N]
#   spark-executor/bench.sh --shuffle [--quick]   # driver-routed vs Spark's shuffle (item 1)
#   (throughput = batch-throughput,streaming-throughput; the full run takes about 16 min, --quick
#   3.5-6 min on 2 cores, depending on the load)
#
# Builds offline through the reactor (no install), then runs the main on the module's test
# classpath with the JVM flags of the surefire argLine in spark-executor/pom.xml. Output: a Markdown
# table on stdout, JSON lines in spark-executor/target/spark-benchmark.jsonl, the log in
# spark-executor/target/spark-benchmark.log.
set -euo pipefail
module="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$module")"
cd "$root"

# test-compile of spark-executor and what it needs; build-classpath resolves the reactor modules
# to their target/classes, so nothing has to be installed in ~/.m2.
mvn -B -q -o -pl spark-executor -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench-classpath.txt")"

cd "$module"
main=io.microbatch.spark.bench.SparkClusterBenchmark
log=target/spark-benchmark.log
if [[ "${1:-}" == "--shuffle" ]]; then
  # Issue #10 item 1: driver-routed shuffle vs Spark's shuffle for the same bytes per batch
  # (ShuffleChoiceBenchmark; JSON lines in target/shuffle-choice.jsonl).
  shift
  main=io.microbatch.spark.bench.ShuffleChoiceBenchmark
  log=target/shuffle-choice.log
fi
# Appends: every run starts with a "start" line (time, arguments, load).
# The flags of the surefire argLine: the Spark driver runs in this JVM.
SPARK_LOCAL_IP=127.0.0.1 exec java -Xmx2g \
  -XX:+IgnoreUnrecognizedVMOptions \
  --add-opens=java.base/java.lang=ALL-UNNAMED \
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
  --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED \
  --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
  --add-opens=java.base/sun.security.action=ALL-UNNAMED \
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
  -Djdk.reflect.useDirectMethodHandle=false \
  -Dio.netty.tryReflectionSetAccessible=true \
  -Dsurefire.test.class.path="$cp" \
  -cp "$cp" "$main" "$@" 2> "$log"
