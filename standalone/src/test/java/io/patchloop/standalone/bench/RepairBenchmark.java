package io.patchloop.standalone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.patchloop.standalone.StandaloneApplication;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.lab.LabFleet;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.util.FileSystemUtils;

/**
 * Wall time of a REPAIR ticket over {@code bench.hosts} (10) demo lab hosts, with NO_REBOOT and with
 * REBOOT_IF_NEEDED, against the SCAN ticket of the same hosts measured in the same round.
 *
 * <p>Each round and mode gets a fresh fleet (own LAB_DIR /var/tmp/pl-rbench, ports from 2701 up,
 * repo 8496), so every repair starts from the same package states: the demo cycle (missing-some,
 * patched, rejectable, pending-reboot, missing-all). The baseline approves everything at once and
 * blocks telnet. Per round and mode: import the hosts (a name prefix per fleet), SCAN ticket
 * (concurrency 10), then the REPAIR ticket (batch NONE, concurrency 10). Rounds alternate the modes.
 * Times are the workflow's own startedAt/finishedAt.
 *
 * <p>Build and classpath as in {@link ScanBenchmark} (offline, no install), then:
 *
 * <pre>
 * java -cp "$CP" io.patchloop.standalone.bench.RepairBenchmark
 * </pre>
 */
public final class RepairBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    int hosts = Integer.getInteger("bench.hosts", 10);
    int rounds = Integer.getInteger("bench.rounds", 2);
    Path script = LabFleet.findScript().orElseThrow(() -> new IllegalStateException("run from the repository"));
    Path labDir = Path.of("/var/tmp/pl-rbench");
    Path data = Files.createTempDirectory(Path.of("standalone/target").toAbsolutePath(), "rbench-data-");
    var platform = StandaloneApplication.start("--patchloop.data-dir=" + data,
        "--patchloop.standalone.db-port=" + freePort(), "--patchloop.standalone.temporal-port=" + freePort(),
        "--server.port=0", "--patchloop.repair.reboot-poll-interval=1s", "--logging.level.io.patchloop=WARN");
    ApiClient api = new ApiClient("http://127.0.0.1:" + platform.apiPort(),
        Files.readString(data.resolve("admin-token")).strip());
    var baseline = api.post("/api/v1/baselines", ApiClient.json(Map.of("name", "bench-all", "os", "HCE",
        "rules", List.of(Map.of("approveAfterDays", 0, "complianceLevel", "HIGH")),
        "rejectedPatches", List.of("telnet"), "rejectedPatchesAction", "BLOCK")));
    long baselineId = baseline.json().get("id").asLong();
    List<String> lines = new ArrayList<>();
    int fleetNo = 0;
    try {
      for (int round = 1; round <= rounds; round++) {
        List<String> modes = round % 2 == 1 ? List.of("NO_REBOOT", "REBOOT_IF_NEEDED")
            : List.of("REBOOT_IF_NEEDED", "NO_REBOOT");
        for (String mode : modes) {
          fleetNo++;
          int portBase = 2700 + (fleetNo % 4) * 20;
          lab(script, labDir, portBase, "up", Integer.toString(hosts), "--profile", "demo");
          try {
            List<Long> ids = register(api, script, labDir, portBase, "r" + fleetNo + "-");
            Times scan = run(api, Map.of("operation", "SCAN", "hostIds", ids, "baselineId", baselineId,
                "concurrency", hosts));
            Times repair = run(api, Map.of("operation", "REPAIR", "hostIds", ids, "baselineId", baselineId,
                "concurrency", hosts, "rebootOption", mode));
            lines.add(String.format(Locale.ROOT, "round %d %-16s scan %5.1f s  repair %5.1f s  repair/scan %4.1f"
                    + "  per host: mean %5.1f s, max %5.1f s  (%d succeeded, %d failed)", round, mode, scan.wall,
                repair.wall, repair.wall / scan.wall, repair.meanHost, repair.maxHost, repair.succeeded, repair.failed));
            System.out.println(lines.get(lines.size() - 1));
          } finally {
            lab(script, labDir, portBase, "down");
          }
        }
      }
    } finally {
      platform.close();
      FileSystemUtils.deleteRecursively(data);
    }
    System.out.println();
    System.out.println(hosts + " demo hosts, batch NONE, concurrency " + hosts + "; wall = ticket finishedAt - startedAt");
    lines.forEach(System.out::println);
    System.exit(0);
  }

  record Times(double wall, double meanHost, double maxHost, int succeeded, int failed) {}

  static Times run(ApiClient api, Map<String, Object> body) throws InterruptedException {
    var created = api.post("/api/v1/tickets", ApiClient.json(body));
    if (created.status() != 201) {
      throw new IllegalStateException(created.toString());
    }
    String id = created.json().get("id").asText();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    while (true) {
      JsonNode t = api.get("/api/v1/tickets/" + id).json();
      if (List.of("COMPLETED", "ABNORMAL", "CANCELLED", "FAILED").contains(t.get("ticket").get("status").asText())) {
        double wall = seconds(t.get("ticket").get("startedAt"), t.get("ticket").get("finishedAt"));
        double sum = 0;
        double max = 0;
        for (JsonNode h : t.get("hosts")) {
          double s = seconds(h.get("startedAt"), h.get("finishedAt"));
          sum += s;
          max = Math.max(max, s);
        }
        return new Times(wall, sum / t.get("hosts").size(), max, t.get("ticket").get("succeeded").asInt(),
            t.get("ticket").get("failed").asInt());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("ticket " + id + " did not end: " + t);
      }
      Thread.sleep(200);
    }
  }

  static double seconds(JsonNode from, JsonNode to) {
    return Duration.between(Instant.parse(from.asText()), Instant.parse(to.asText())).toMillis() / 1000.0;
  }

  static List<Long> register(ApiClient api, Path script, Path labDir, int portBase, String prefix) throws IOException {
    JsonNode list = JSON.readTree(lab(script, labDir, portBase, "list", "--json").stdout());
    String key = lab(script, labDir, portBase, "key").stdout().strip();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (JsonNode h : list) {
      rows.add(Map.of("name", prefix + h.get("name").asText(), "address", "127.0.0.1", "port", h.get("port").asInt(),
          "keyPath", key, "osFamily", h.get("osFamily").asText()));
    }
    var imported = api.post("/api/v1/hosts/import", ApiClient.json(rows));
    if (imported.status() != 201) {
      throw new IllegalStateException(imported.toString());
    }
    List<Long> ids = new ArrayList<>();
    imported.json().get("hosts").forEach(h -> ids.add(h.get("id").asLong()));
    return ids;
  }

  static LabFleet.Result lab(Path script, Path labDir, int portBase, String... args) {
    LabFleet.Result r = LabFleet.runLab(script, labDir, portBase, 8496, Duration.ofMinutes(10), args);
    if (!r.ok()) {
      throw new IllegalStateException("lab " + String.join(" ", args) + ": " + r.stdout() + r.stderr());
    }
    return r;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
