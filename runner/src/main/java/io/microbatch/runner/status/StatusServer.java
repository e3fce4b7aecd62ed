package io.microbatch.runner.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded HTTP server of the status page, on the JDK's {@link HttpServer}: {@code /} the
 * page, {@code /api/status} the {@link StatusSnapshot} as JSON, {@code /static/...} the page's
 * script and style and the uPlot chart library, all from the classpath. GET and HEAD only.
 */
public final class StatusServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
  static final String API_PATH = "/api/status";

  private final HttpServer server;
  private final ExecutorService executor;
  private final URI url;

  private StatusServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
    InetSocketAddress bound = server.getAddress();
    try {
      String host = bound.getAddress().getHostAddress();
      this.url = new URI("http", null, host, bound.getPort(), "/", null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("No URL for " + bound, e);
    }
  }

  /**
   * Binds to {@code address} (port 0 picks a free one) and starts serving.
   *
   * @param address where to listen
   * @param status takes the snapshot each {@code /api/status} request answers
   * @throws IOException if the address cannot be bound
   */
  public static StatusServer start(InetSocketAddress address, Supplier<StatusSnapshot> status)
      throws IOException {
    StaticAssets assets = StaticAssets.load();
    HttpServer server = HttpServer.create(address, 0);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "microbatch-status-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", exchange -> handle(exchange, assets, status));
    server.start();
    StatusServer started = new StatusServer(server, executor);
    LOG.info("Status page at {}", started.url());
    return started;
  }

  /** The page's URL, with the port actually bound. */
  public URI url() {
    return url;
  }

  /** Stops serving and frees the port; open exchanges are cut off. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    LOG.info("Status page at {} stopped", url);
  }

  private static void handle(
      HttpExchange exchange, StaticAssets assets, Supplier<StatusSnapshot> status)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      boolean head = "HEAD".equals(method);
      if (!head && !"GET".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", bytes("Method not allowed\n"), false);
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (API_PATH.equals(path)) {
        byte[] json;
        try {
          json = StatusJson.write(status.get());
        } catch (RuntimeException e) {
          LOG.warn("Cannot take the pipeline's status", e);
          send(exchange, 500, "text/plain; charset=utf-8", bytes("Status unavailable\n"), head);
          return;
        }
        send(exchange, 200, "application/json", json, head);
        return;
      }
      Optional<StaticAssets.Asset> asset = assets.find(path);
      if (asset.isPresent()) {
        send(exchange, 200, asset.get().contentType(), asset.get().bytes(), head);
      } else {
        send(exchange, 404, "text/plain; charset=utf-8", bytes("Not found: " + path + "\n"), head);
      }
    }
  }

  private static void send(
      HttpExchange exchange, int code, String contentType, byte[] body, boolean head)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    // Everything the page needs comes from this server.
    exchange
        .getResponseHeaders()
        .set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'");
    if (head) {
      exchange.sendResponseHeaders(code, -1);
      return;
    }
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
