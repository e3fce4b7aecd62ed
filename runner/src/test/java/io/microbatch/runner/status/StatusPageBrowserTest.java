package io.microbatch.runner.status;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.microbatch.runner.MicroBatchPipelineResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in headless Chromium (Debian's package, which {@code .ci/run} installs): the
 * charts render, the numbers come from the running pipeline and move. The screenshot is kept as
 * {@code runner/target/status-page.png}.
 */
class StatusPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Pattern BATCH_COUNT =
      Pattern.compile("id=\"batch-count\"[^>]*>(\\d+)<");
  private static final Pattern RECORDS_READ =
      Pattern.compile("id=\"records-read\"[^>]*>([\\d,]+)<");
  /** The input-rate series' stroke, #1f77b4, and the processing-time one, #2ca02c. */
  private static final int RATE_BLUE = 0x1f77b4;
  private static final int PROCESSING_GREEN = 0x2ca02c;

  @TempDir Path tmp;

  @Test
  void chartsRenderAndTheNumbersMove() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        "/usr/bin/chromium is absent, so the status page is not checked in a browser; "
            + ".ci/run installs Debian's chromium package");
    MicroBatchPipelineResult result = StatusPipelines.startStreaming();
    try {
      URI url = result.statusUrl().orElseThrow();
      StatusPipelines.awaitBatches(url, 3);

      String firstDom = dumpDom(url, "first");
      assertThat(countOf(firstDom, "<canvas"), greaterThanOrEqualTo(3));
      assertThat(countOf(firstDom, "class=\"stage\""), greaterThanOrEqualTo(2));
      assertThat(countOf(firstDom, "Cannot reach the pipeline"), equalTo(0));
      long firstBatches = number(BATCH_COUNT, firstDom);
      long firstRecords = number(RECORDS_READ, firstDom);
      assertThat(firstBatches, greaterThan(0L));
      assertThat(firstRecords, greaterThan(0L));

      // The page must show the numbers moving: wait until the pipeline is past what it showed.
      StatusPipelines.awaitTotals(url, firstBatches + 1, firstRecords + 1);
      String secondDom = dumpDom(url, "second");
      assertThat(number(BATCH_COUNT, secondDom), greaterThan(firstBatches));
      assertThat(number(RECORDS_READ, secondDom), greaterThan(firstRecords));

      Path screenshot = Path.of("target", "status-page.png").toAbsolutePath();
      Files.deleteIfExists(screenshot);
      chromium("screenshot", "--screenshot=" + screenshot, url.toString());
      BufferedImage image = ImageIO.read(screenshot.toFile());
      assertThat(image.getWidth(), equalTo(1200));
      // The series lines are drawn: plenty of pixels in each series' colour.
      assertThat(pixelsNear(image, RATE_BLUE), greaterThan(100));
      assertThat(pixelsNear(image, PROCESSING_GREEN), greaterThan(100));
    } finally {
      result.cancel();
    }
  }

  private String dumpDom(URI url, String name) throws IOException, InterruptedException {
    return chromium(name, "--dump-dom", url.toString());
  }

  /** Runs headless Chromium with a fresh profile and the network-quiet flags; returns stdout. */
  private String chromium(String name, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(CHROMIUM.toString());
    command.add("--headless");
    command.add("--no-sandbox");
    command.add("--disable-gpu");
    command.add("--disable-quic");
    command.add("--no-first-run");
    command.add("--disable-background-networking");
    command.add("--disable-component-update");
    command.add("--disable-sync");
    command.add("--hide-scrollbars");
    command.add("--user-data-dir=" + Files.createDirectories(tmp.resolve("profile-" + name)));
    command.add("--window-size=1200,900");
    // Enough virtual time for the page to load, fetch /api/status and draw.
    command.add("--virtual-time-budget=3000");
    command.addAll(List.of(args));
    Path out = tmp.resolve(name + ".out");
    Path err = tmp.resolve(name + ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("Chromium did not finish in 90 s: " + Files.readString(err));
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          "Chromium exited with " + process.exitValue() + ": " + Files.readString(err));
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static long number(Pattern pattern, String dom) {
    Matcher m = pattern.matcher(dom);
    if (!m.find()) {
      throw new AssertionError("No " + pattern + " in the rendered page:\n" + dom);
    }
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  private static int countOf(String text, String needle) {
    int count = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      count++;
    }
    return count;
  }

  private static int pixelsNear(BufferedImage image, int rgb) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        int dr = ((p >> 16) & 0xff) - ((rgb >> 16) & 0xff);
        int dg = ((p >> 8) & 0xff) - ((rgb >> 8) & 0xff);
        int db = (p & 0xff) - (rgb & 0xff);
        if (Math.abs(dr) + Math.abs(dg) + Math.abs(db) < 40) {
          count++;
        }
      }
    }
    return count;
  }
}
