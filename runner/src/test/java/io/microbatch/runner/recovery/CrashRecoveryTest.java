package io.microbatch.runner.recovery;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The crash test on {@code file://}: 20 kills by default, {@code -Dcrash.kills=N} for more or
 * fewer.
 */
class CrashRecoveryTest extends CrashRecoveryContract {
  @Override
  CheckpointTarget target(Path dir) {
    return new CheckpointTarget("file", dir.resolve("checkpoints").toUri().toString(), Map.of());
  }

  @Override
  int kills() {
    return Integer.getInteger("crash.kills", 20);
  }

  @Override
  long count() {
    // 240 batches of 100 ms (at least 24 s): twenty runs of up to 1.5 s each do not finish it.
    return 4_800;
  }

  @Override
  Duration minDelay() {
    return Duration.ofMillis(100);
  }

  @Override
  Duration maxDelay() {
    return Duration.ofMillis(1_500);
  }
}
