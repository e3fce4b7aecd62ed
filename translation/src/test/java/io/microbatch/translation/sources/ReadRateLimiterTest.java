package io.microbatch.translation.sources;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadRateLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000);

  private void advanceMillis(long millis) {
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Test
  void startsWithOneSecondOfRecordsAndRefillsAtTheRate() {
    ReadRateLimiter limiter = new ReadRateLimiter(100, nanos::get);
    assertThat(limiter.available(), equalTo(100L));
    limiter.consume(100);
    assertThat(limiter.available(), equalTo(0L));
    advanceMillis(250);
    assertThat(limiter.available(), equalTo(25L));
    limiter.consume(20);
    assertThat(limiter.available(), equalTo(5L));
  }

  @Test
  void holdsAtMostOneSecondOfRecords() {
    ReadRateLimiter limiter = new ReadRateLimiter(100, nanos::get);
    limiter.consume(100);
    advanceMillis(10_000);
    assertThat(limiter.available(), equalTo(100L));
  }

  @Test
  void zeroRateMeansNoLimit() {
    ReadRateLimiter limiter = new ReadRateLimiter(0, nanos::get);
    limiter.consume(1_000_000);
    assertThat(limiter.available(), equalTo(Long.MAX_VALUE));
  }
}
