package io.patchloop.api.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.common.OsFamily;
import io.patchloop.compliance.ComplianceEngine;
import io.patchloop.hosts.HostQuery;
import io.patchloop.hosts.HostStore;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.reports.ReportStore;
import io.patchloop.rpm.Evr;
import io.patchloop.testing.http.ApiClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The CSV answers of the host list, a host's report and the summary, over real HTTP against a real MariaDB. */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(CsvExportHttpTest.BrokenExport.class)
class CsvExportHttpTest {

  static final String VIEWER = ApiTestProperties.VIEWER;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "csvexport", ApiTestProperties.EVERY_ROLE);
  }

  /** A listing whose source fails after its first 50,000 rows, as a database that goes away mid-query. */
  @TestConfiguration
  @RestController
  static class BrokenExport {
    @GetMapping("/api/v1/test-broken-export")
    Object broken(jakarta.servlet.http.HttpServletResponse response) throws IOException {
      CsvResponse.stream(response, "broken", List.of("n", "text"), csv -> {
        for (int i = 0; i < 50_000; i++) {
          csv.row(i, "row number " + i);
        }
        throw new DataAccessResourceFailureException("Communications link failure (as the test has it)");
      });
      return null;
    }
  }

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired HostStore hostStore;
  @Autowired ReportStore reports;
  @Autowired BaselineStore baselines;
  @Autowired io.patchloop.fleet.FleetCounts fleetCounts;

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final ObjectMapper json = new ObjectMapper();
  ApiClient admin;

  @BeforeEach
  void noHosts() {
    admin = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
    jdbc.update("DELETE FROM hosts"); // tags and reports go with them
    fleetCounts.rebuild(); // ... but not out of the kept counts: count again from no report
  }

  HttpResponse<String> get(String path, String token, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (accept != null) {
      b.header("Accept", accept);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  static void assertCsvFile(HttpResponse<String> r, String stem) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t.toLowerCase().replace(" ", "")).isEqualTo("text/csv;charset=utf-8"));
    assertThat(r.headers().firstValue("Content-Disposition")).hasValue(
        "attachment; filename=\"" + stem + "-" + LocalDate.now(ZoneOffset.UTC) + ".csv\"");
    assertThat(r.body()).doesNotStartWith("\uFEFF");
  }

  static String host(String name, Map<String, String> tags, String os) {
    return ApiClient.json(Map.of("name", name, "address", "10.0.0.1", "port", 22, "keyPath", "/keys/lab",
        "osFamily", os, "tags", tags));
  }

  @Test
  void hostListAsCsvHasEveryMatchingHostWhateverThePageAndAcceptWorksAsFormat() throws Exception {
    for (int i = 0; i < 7; i++) {
      // '=' and '+' may start a tag value: a spreadsheet would take the cell for a formula if it started so
      assertThat(admin.post("/api/v1/hosts", host("web-" + i, Map.of("zone", i % 2 == 0 ? "az1" : "az2",
          "owner", "=1+2"), i < 3 ? "HCE" : "CENTOS")).status()).isEqualTo(201);
    }
    HttpResponse<String> r = get("/api/v1/hosts?format=csv&size=2&page=0", VIEWER, null);
    assertCsvFile(r, "hosts");
    assertThat(r.headers().firstValue("Content-Length")).isEmpty();
    List<List<String>> rows = StrictCsv.parse(r.body());
    assertThat(rows.get(0)).containsExactly("id", "name", "address", "port", "osFamily", "scenario", "accessMode",
        "tags", "complianceStatus", "baseline", "lastScannedAt", "installed", "installedOther", "pendingReboot",
        "rejected", "missing", "failed");
    JsonNode all = json.readTree(get("/api/v1/hosts", VIEWER, null).body());
    assertThat(rows).hasSize(1 + all.get("total").asInt()).hasSize(8);
    assertThat(rows.get(1).subList(1, 9)).containsExactly("web-0", "10.0.0.1", "22", "HCE", "ECS", "SSH",
        "owner==1+2;zone=az1", "UNKNOWN");
    assertThat(rows.get(1).get(10)).isEmpty();

    // the filters of the JSON listing
    List<List<String>> az1Centos = StrictCsv.parse(get("/api/v1/hosts?tag=zone:az1&osFamily=CENTOS&format=csv",
        VIEWER, null).body());
    int jsonTotal = json.readTree(get("/api/v1/hosts?tag=zone:az1&osFamily=CENTOS", VIEWER, null).body())
        .get("total").asInt();
    assertThat(az1Centos).hasSize(1 + jsonTotal).hasSize(1 + 2);

    // Accept: text/csv is the same file; format=json wins over Accept; no preference is JSON as before
    assertThat(get("/api/v1/hosts", VIEWER, "text/csv").body()).isEqualTo(r.body());
    HttpResponse<String> jsonAnyway = get("/api/v1/hosts?format=json", VIEWER, "text/csv, application/json;q=0.5");
    assertThat(jsonAnyway.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    // JSON to a caller that takes only CSV: Not Acceptable, as before CSV existed
    assertThat(get("/api/v1/hosts?format=json", VIEWER, "text/csv").statusCode()).isEqualTo(406);
    assertThat(get("/api/v1/hosts", VIEWER, "application/json, text/csv;q=0.5").body()).startsWith("{");
  }

  @Test
  void anUnknownFormatIsA400NamingFormatAndNoTokenA401() throws Exception {
    for (String path : List.of("/api/v1/hosts?format=xml", "/api/v1/compliance/summary?format=xml",
        "/api/v1/hosts/1/compliance?format=xml")) {
      HttpResponse<String> r = get(path, VIEWER, null);
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
      assertThat(json.readTree(r.body()).get("errors").get(0).get("field").asText()).isEqualTo("format");
    }
    for (String path : List.of("/api/v1/hosts?format=csv", "/api/v1/compliance/summary?format=csv")) {
      assertThat(get(path, null, "text/csv").statusCode()).as(path).isEqualTo(401);
    }
    // a 4xx before the first byte is the usual JSON problem, even to a caller that asked for CSV
    HttpResponse<String> unknownHost = get("/api/v1/hosts/987654/compliance", VIEWER, "text/csv");
    assertThat(unknownHost.statusCode()).isEqualTo(404);
    assertThat(unknownHost.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(unknownHost.headers().firstValue("Content-Disposition")).isEmpty();
    assertThat(unknownHost.headers().firstValue("X-Request-Id")).isPresent();
  }

  @Test
  void aHostsReportAsCsvHasOneRowPerPatchAndQuotesWhatNeedsIt() throws Exception {
    long id = admin.post("/api/v1/hosts", host("scanned", Map.of("zone", "az1"), "HCE")).json().get("id").asLong();
    Instant now = Instant.parse("2026-11-27T00:00:00Z");
    var installed = List.of(new InstalledPackage("openssl", Evr.parse("1:1.1.1m-15.hce2"), "x86_64", now),
        new InstalledPackage("nginx", Evr.parse("1:1.21.5-4.hce2"), "x86_64", now));
    var advisories = List.of(
        new Advisory("HCE2-SA-2026-0001", "openssl", "security", PatchCategory.SECURITY, PatchSeverity.CRITICAL,
            now.minusSeconds(30 * 86400), List.of(new AdvisoryPackage("openssl", Evr.parse("1:1.1.1m-21.hce2"), "x86_64")),
            List.of("CVE-2024-0727", "CVE-2024-0728"), false),
        new Advisory("HCE2-BA-2026-0002", "nginx", "bugfix", PatchCategory.BUGFIX, PatchSeverity.LOW,
            now.minusSeconds(30 * 86400), List.of(new AdvisoryPackage("nginx", Evr.parse("1:1.21.5-4.hce2"), "x86_64")),
            List.of(), false));
    var inventory = new HostInventory("hce", "2.0", "HCE 2.0", "5.10.0-1.hce2.x86_64", now.minusSeconds(3600), installed,
        Set.of(), advisories, false, 60L);
    Baseline builtIn = baselines.list(OsFamily.HCE).stream().filter(b -> b.name().equals("HCE-default")).findFirst()
        .orElseThrow();
    reports.replace(id, builtIn.id(), null, "SCAN", now, inventory, new ComplianceEngine().evaluate(inventory, builtIn, now, Set.of()));
    // a repair's failure message is the host's own words: commas, quotes, line breaks, a leading '='
    String message = "=dnf said \"Error: transaction check\",\r\nfile /usr/lib64/libssl.so conflicts, é";
    jdbc.update("UPDATE report_patches SET state = 'FAILED', failure_message = ? WHERE host_id = ? AND advisory_id = ?",
        message, id, "HCE2-SA-2026-0001");

    HttpResponse<String> r = get("/api/v1/hosts/" + id + "/compliance?format=csv", VIEWER, null);
    assertCsvFile(r, "host-" + id + "-compliance");
    List<List<String>> rows = StrictCsv.parse(r.body());
    assertThat(rows.get(0)).containsExactly("host", "scannedAt", "baseline", "advisoryId", "state", "complianceLevel",
        "severity", "category", "issuedAt", "rebootSuggested", "cves", "packages", "failureMessage");
    JsonNode report = json.readTree(get("/api/v1/hosts/" + id + "/compliance", VIEWER, null).body());
    assertThat(rows).hasSize(1 + report.get("patches").size()).hasSize(3);
    List<String> failed = rows.stream().filter(row -> row.get(3).equals("HCE2-SA-2026-0001")).findFirst().orElseThrow();
    assertThat(failed).containsExactly("scanned", "2026-11-27T00:00:00Z", "HCE-default", "HCE2-SA-2026-0001", "FAILED",
        "HIGH", "CRITICAL", "SECURITY", "2026-10-28T00:00:00Z", "false", "CVE-2024-0727 CVE-2024-0728",
        "openssl.x86_64 1:1.1.1m-15.hce2->1:1.1.1m-21.hce2", "'" + message);
    assertThat(get("/api/v1/hosts/" + id + "/compliance", VIEWER, "text/csv").body()).isEqualTo(r.body());
  }

  @Test
  void theSummaryAsCsvHasTheOverallRowThenOneRowPerGroup() throws Exception {
    admin.post("/api/v1/hosts", host("a", Map.of("zone", "az1"), "HCE"));
    admin.post("/api/v1/hosts", host("b", Map.of("zone", "az2"), "CENTOS"));
    admin.post("/api/v1/hosts", host("c", Map.of("app", "x"), "CENTOS"));
    HttpResponse<String> r = get("/api/v1/compliance/summary?groupBy=tag:zone&format=csv", VIEWER, null);
    assertCsvFile(r, "compliance-summary");
    List<List<String>> rows = StrictCsv.parse(r.body());
    assertThat(rows.get(0).subList(0, 6)).containsExactly("group", "hosts", "compliant", "nonCompliant", "unknown",
        "INSTALLED");
    assertThat(rows.get(0)).contains("CRITICAL.MISSING", "LOW.FAILED");
    JsonNode summary = json.readTree(get("/api/v1/compliance/summary?groupBy=tag:zone", VIEWER, null).body());
    assertThat(rows).hasSize(2 + summary.get("groups").size());
    assertThat(rows.stream().skip(1).map(row -> row.get(0)).toList()).containsExactly("(all)", "az1", "az2", "(none)");
    assertThat(rows.get(1).subList(1, 5)).containsExactly("3", "0", "0", "3");
    assertThat(get("/api/v1/compliance/summary?groupBy=tag:zone", VIEWER, "text/csv").body()).isEqualTo(r.body());
  }

  /** Hosts with long tag values and addresses, straight into the tables: the API would take minutes for as many. */
  void bulkHosts(int n) {
    jdbc.update("INSERT INTO hosts (name, address, port, username, key_path, os_family, scenario, access,"
        + " created_at, updated_at) SELECT CONCAT('bulk-', seq), REPEAT('a', 250), 22, 'root', '/keys/lab', 'HCE', 'ECS',"
        + " 'SSH', NOW(3), NOW(3) FROM seq_1_to_" + n);
    jdbc.update("INSERT INTO host_tags (host_id, tag_key, tag_value) SELECT id, 'note', REPEAT('n', 128) FROM hosts");
  }

  @Test
  void theStoreStreamsTheHostListWithoutHoldingItInMemory() {
    int n = 30_000;
    bulkHosts(n);
    // Had the driver read the whole result first (30,000 rows of about 600 bytes), the heap would hold
    // it when the first row arrives; streamed, it holds a row.
    long before = usedHeapAfterGc();
    AtomicLong atFirstRow = new AtomicLong(-1);
    AtomicLong rows = new AtomicLong();
    hostStore.forEachMatching(new HostQuery(Map.of(), null, null, null), h -> {
      if (rows.getAndIncrement() == 0) {
        atFirstRow.set(usedHeapAfterGc());
      }
    });
    assertThat(rows.get()).isEqualTo(n);
    assertThat(atFirstRow.get() - before).as("heap grown by the time the first row arrived")
        .isLessThan(4L * 1024 * 1024);
  }

  @Test
  void aLargeFleetComesOutWholeOverHttp() throws Exception {
    int n = 20_000;
    bulkHosts(n);
    HttpResponse<String> r = get("/api/v1/hosts?format=csv", VIEWER, null);
    assertCsvFile(r, "hosts");
    List<List<String>> rows = StrictCsv.parse(r.body());
    assertThat(rows).hasSize(1 + n);
    assertThat(rows.get(n).get(1)).isEqualTo("bulk-" + n);
  }

  @Test
  void aFailureMidStreamBreaksTheTransferInsteadOfEndingTheFile() throws Exception {
    assertThatThrownBy(() -> get("/api/v1/test-broken-export", VIEWER, null)).isInstanceOf(IOException.class);

    // on the wire: the rows that went out, then no last chunk ("0\r\n\r\n") and nothing appended after them
    byte[] raw;
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /api/v1/test-broken-export HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + VIEWER
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      raw = all.toByteArray();
    }
    String text = new String(raw, StandardCharsets.UTF_8);
    // the last 16 KiB or so (the writer's and the container's buffers) never leave: that is fine, the file is broken anyway
    assertThat(text).startsWith("HTTP/1.1 200").contains("Transfer-Encoding: chunked").contains("\r\n40000,row number 40000\r\n")
        .doesNotContain("row number 49999");
    assertThat(text).doesNotEndWith("\r\n0\r\n\r\n").doesNotContain("incident").doesNotContain("\"status\"");
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
