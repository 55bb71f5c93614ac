package io.patchloop.testing.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on loopback (the JDK's) that records every request and answers each path with
 * the status it was told: the WeCom robot, SMS gateway and webhook receiver of the tests.
 */
public final class RecordingHttpServer implements AutoCloseable {

  public record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  private final HttpServer server;
  public final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> statusByPath = new ConcurrentHashMap<>();
  private final Map<String, String> bodyByPath = new ConcurrentHashMap<>();

  /** For a static field of a test class, where a checked exception cannot be thrown. */
  public static RecordingHttpServer started() {
    try {
      return new RecordingHttpServer();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public RecordingHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getPath();
      requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
          Map.copyOf(exchange.getRequestHeaders()), body));
      byte[] answer = bodyByPath.getOrDefault(path, "{\"ok\":true}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(statusByPath.getOrDefault(path, 200), answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    });
    server.start();
  }

  public void answer(String path, int status, String body) {
    statusByPath.put(path, status);
    bodyByPath.put(path, body);
  }

  public String url(String pathAndQuery) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
  }

  public List<Request> to(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
