#!/usr/bin/env bash
# Kills the checkpointed test job with SIGKILL N times at seeded random moments, restarting it from
# its checkpoint each time, and checks its final output is exactly the uninterrupted one.
# Usage: scripts/crash-test.sh [fs=file] [kills] [seed=random]
#   fs     file (a local directory), hdfs (a MiniDFSCluster on 127.0.0.1) or s3a (s3proxy on 127.0.0.1),
#          or kafka: the Kafka job (KafkaIO read, ExactlyOnceKafkaWrite) with a file:// checkpoint
#   kills  default 20 on file, 3 on hdfs and s3a, 5 on kafka
# The old form, scripts/crash-test.sh [kills] [seed], still means file.
# Every run's output is in <module>/target/crash-logs/<test class>/run-<n>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then
  set -- file "$@"
fi
fs="${1:-file}"
case "$fs" in
  file)  module=runner; test=CrashRecoveryTest;         property=crash.kills;       default_kills=20 ;;
  hdfs)  module=runner; test=HdfsCrashRecoveryTest;     property=crash.hdfs.kills;  default_kills=3 ;;
  s3a)   module=runner; test=S3aCrashRecoveryTest;      property=crash.s3a.kills;   default_kills=3 ;;
  kafka) module=kafka;  test=KafkaExactlyOnceCrashTest; property=crash.kafka.kills; default_kills=5 ;;
  *) echo "usage: $0 [file|hdfs|s3a|kafka] [kills] [seed]" >&2; exit 2 ;;
esac
kills="${2:-$default_kills}"
seed="${3:-$RANDOM$RANDOM}"
echo "crash test on $fs: $kills kills, seed $seed"
mvn -B -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
  -D"$property"="$kills" -Dcrash.seed="$seed"
