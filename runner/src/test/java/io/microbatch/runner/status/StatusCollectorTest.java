package io.microbatch.runner.status;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.junit.jupiter.api.Test;

/** How watermarks read on the page: Beam's extremes as infinities, everything else as ISO-8601. */
class StatusCollectorTest {

  @Test
  void watermarksAtBeamsExtremesReadAsInfinities() {
    assertThat(
        StatusCollector.watermarkView("a#1", BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis())
            .display(),
        equalTo("-inf"));
    assertThat(
        StatusCollector.watermarkView("a#1", BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis())
            .display(),
        equalTo("+inf"));
    assertThat(
        StatusCollector.watermarkView("a#1", 1_700_000_000_123L).display(),
        equalTo("2023-11-14T22:13:20.123Z"));
    // The end of the global window is a real timestamp, just before +inf.
    assertThat(
        StatusCollector.watermarkView("a#1", GlobalWindow.INSTANCE.maxTimestamp().getMillis())
            .display(),
        equalTo("+294247-01-09T04:00:54.775Z"));
  }
}
