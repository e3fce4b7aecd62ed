package io.microbatch.runner.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The files the status page is made of, all from the classpath: the page itself and its script and
 * style (this package's resources), and uPlot, the chart library, from its webjar. Only the files
 * named here are served; nothing comes from the network.
 */
final class StaticAssets {
  private static final String OWN = "io/microbatch/runner/status/";
  private static final String UPLOT_POM =
      "META-INF/maven/org.webjars.npm/uplot/pom.properties";

  /** A file to serve. */
  record Asset(byte[] bytes, String contentType) {}

  private final Map<String, Asset> assets = new HashMap<>();

  private StaticAssets(Map<String, String> paths) {
    paths.forEach(
        (path, resource) -> assets.put(path, new Asset(read(resource), contentType(resource))));
  }

  /**
   * Reads every asset once, uPlot's path resolved from the version of its webjar on the classpath;
   * fails if one is missing.
   */
  static StaticAssets load() {
    String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    return new StaticAssets(
        Map.of(
            "/", OWN + "index.html",
            "/static/status.js", OWN + "status.js",
            "/static/status.css", OWN + "status.css",
            "/static/uPlot.iife.min.js", uplot + "uPlot.iife.min.js",
            "/static/uPlot.min.css", uplot + "uPlot.min.css"));
  }

  /** The asset served at {@code path}, if any. */
  Optional<Asset> find(String path) {
    return Optional.ofNullable(assets.get(path));
  }

  private static byte[] read(String resource) {
    try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing status page resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }

  private static String contentType(String resource) {
    if (resource.endsWith(".html")) {
      return "text/html; charset=utf-8";
    } else if (resource.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    } else if (resource.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return "application/octet-stream";
  }

  private static String uplotVersion() {
    try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(UPLOT_POM)) {
      if (in == null) {
        throw new IllegalStateException(
            "uPlot's webjar (org.webjars.npm:uplot) is not on the classpath: " + UPLOT_POM);
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + UPLOT_POM, e);
    }
  }
}
