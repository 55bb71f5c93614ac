package io.patchloop.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.lab.LabFleet;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.springframework.util.FileSystemUtils;

/**
 * One standalone platform for a test class (embedded MariaDB and Temporal, API and worker) with
 * its data under target/, and the calls end-to-end tests make against it.
 */
final class TestPlatform implements AutoCloseable {

  final Path dataDir;
  final StandaloneApplication.Running running;
  final ApiClient api;
  /** The embedded Temporal frontend, on 127.0.0.1: what agents connect to. */
  final int temporalPort;

  private TestPlatform(Path dataDir, StandaloneApplication.Running running, ApiClient api, int temporalPort) {
    this.dataDir = dataDir;
    this.running = running;
    this.api = api;
    this.temporalPort = temporalPort;
  }

  static TestPlatform start(String... extraArgs) throws IOException {
    return start(null, List.of(extraArgs));
  }

  /** An API token the platform is configured with (instead of the admin token it would generate). */
  record Token(String name, String token, String role) {}

  /**
   * As {@link #start(String...)}, with these tokens configured; {@link #api} uses the first, which
   * must be an admin's.
   */
  static TestPlatform startWithTokens(List<Token> tokens, String... extraArgs) throws IOException {
    List<String> args = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      args.addAll(List.of("--patchloop.security.tokens[" + i + "].name=" + t.name(),
          "--patchloop.security.tokens[" + i + "].token=" + t.token(), "--patchloop.security.tokens[" + i + "].role=" + t.role()));
    }
    args.addAll(List.of(extraArgs));
    return start(tokens.get(0).token(), args);
  }

  private static TestPlatform start(String adminToken, List<String> extraArgs) throws IOException {
    Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "e2e-data-");
    int temporalPort = freePort();
    List<String> args = new ArrayList<>(List.of("--patchloop.data-dir=" + dataDir,
        "--patchloop.standalone.db-port=" + freePort(), "--patchloop.standalone.temporal-port=" + temporalPort,
        "--server.port=0"));
    args.addAll(extraArgs);
    StandaloneApplication.Running running = StandaloneApplication.start(args.toArray(String[]::new));
    ApiClient api = new ApiClient("http://127.0.0.1:" + running.apiPort(),
        adminToken != null ? adminToken : Files.readString(dataDir.resolve("admin-token")).strip());
    return new TestPlatform(dataDir, running, api, temporalPort);
  }

  /** Imports every lab host with the tags {@code tagsOf} gives it; returns host ids by host name. */
  Map<String, Long> importFleet(LabFleet fleet, Function<LabFleet.Host, Map<String, String>> tagsOf) {
    return importFleet(fleet, tagsOf, h -> false);
  }

  /** As {@link #importFleet(LabFleet, Function)}, the hosts {@code viaAgent} picks as AGENT hosts (no key). */
  Map<String, Long> importFleet(LabFleet fleet, Function<LabFleet.Host, Map<String, String>> tagsOf,
      Predicate<LabFleet.Host> viaAgent) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (LabFleet.Host h : fleet.hosts()) {
      Map<String, Object> row = new HashMap<>(Map.of("name", h.name(), "address", h.address(), "osFamily", h.osFamily(),
          "tags", tagsOf.apply(h)));
      row.putAll(viaAgent.test(h) ? Map.of("access", "AGENT")
          : Map.of("port", h.port(), "keyPath", fleet.keyPath().toString()));
      rows.add(row);
    }
    var imported = api.post("/api/v1/hosts/import", ApiClient.json(rows));
    assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
    Map<String, Long> ids = new HashMap<>();
    imported.json().get("hosts").forEach(h -> ids.put(h.get("name").asText(), h.get("id").asLong()));
    return ids;
  }

  /** Creates a baseline and returns its id. */
  long baseline(Map<String, Object> body) {
    var created = api.post("/api/v1/baselines", ApiClient.json(body));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  /** Creates a ticket and returns its id. */
  String ticket(Map<String, Object> body) {
    var created = api.post("/api/v1/tickets", ApiClient.json(body));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  JsonNode waitForEnd(String ticketId, Duration timeout) {
    return waitFor(ticketId,
        t -> List.of("COMPLETED", "ABNORMAL", "CANCELLED", "FAILED").contains(t.get("ticket").get("status").asText()), timeout);
  }

  JsonNode waitFor(String ticketId, Predicate<JsonNode> condition, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      JsonNode t = api.get("/api/v1/tickets/" + ticketId).json();
      if (condition.test(t)) {
        return t;
      }
      assertThat(Instant.now()).as("ticket " + ticketId + " did not get there in time: " + t).isBefore(deadline);
      try {
        TimeUnit.MILLISECONDS.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  JsonNode report(long hostId) {
    var r = api.get("/api/v1/hosts/" + hostId + "/compliance");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  static Map<String, JsonNode> byHostName(JsonNode ticket) {
    Map<String, JsonNode> m = new HashMap<>();
    ticket.get("hosts").forEach(h -> m.put(h.get("hostName").asText(), h));
    return m;
  }

  /** The process id of the platform's embedded MariaDB server: the one whose command line names this platform's data dir. */
  long databasePid() throws IOException {
    String dir = dataDir.toString();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
        String cmdline;
        try {
          cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException gone) {
          continue;
        }
        if (cmdline.contains("mariadbd") || cmdline.contains("mysqld")) {
          if (cmdline.contains(dir) && !cmdline.contains("mysqld_safe")) {
            return Long.parseLong(p.getFileName().toString());
          }
        }
      }
    }
    throw new IllegalStateException("no MariaDB process with data under " + dir);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    running.close();
    FileSystemUtils.deleteRecursively(dataDir.toFile());
  }

  /** Polls {@code value} every 200 ms until {@code done} accepts it, failing with the last value after {@code timeout}. */
  static <T> T eventually(java.util.function.Supplier<T> value, Predicate<T> done, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      T v = value.get();
      if (done.test(v)) {
        return v;
      }
      assertThat(Instant.now()).as("still not there: " + v).isBefore(deadline);
      try {
        TimeUnit.MILLISECONDS.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
