#!/usr/bin/env bash
# Kills the checkpointed test job with SIGKILL N times at seeded random moments, restarting it from
# its checkpoint each time, and checks its final output is exactly the uninterrupted one.
# Usage: scripts/crash-test.sh [kills=20] [seed=random]
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-20}"
seed="${2:-$RANDOM$RANDOM}"
echo "crash test: $kills kills, seed $seed"
mvn -B -pl runner -am test -Dtest=CrashRecoveryTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dcrash.kills="$kills" -Dcrash.seed="$seed"
