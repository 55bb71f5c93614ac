package io.patchloop.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.common.OsFamily;
import io.patchloop.compliance.ComplianceEngine;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.rpm.Evr;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.http.ApiClient.Response;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** GET /api/v1/compliance/history and POST .../snapshots over real HTTP, against a real MariaDB. */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ComplianceHistoryApiTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "historyapi", ApiTestProperties.EVERY_ROLE);
    registry.add("patchloop.history.tag-keys", () -> "zone");
  }

  static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

  @LocalServerPort int port;
  @Autowired ReportStore reports;
  @Autowired BaselineStore baselines;
  @Autowired ComplianceHistoryStore history;
  @Autowired JdbcClient jdbc;
  ApiClient admin;
  Baseline hceDefault;

  @BeforeEach
  void fleet() {
    admin = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
    jdbc.sql("DELETE FROM hosts").update();
    jdbc.sql("DELETE FROM compliance_history").update();
    hceDefault = baselines.list(OsFamily.HCE).stream().filter(b -> b.name().equals("HCE-default")).findFirst()
        .orElseThrow();
  }

  long host(String name, Map<String, String> tags) {
    return admin.post("/api/v1/hosts", ApiClient.json(Map.of("name", name, "address", "127.0.0.1", "port", 2201,
        "keyPath", "/keys/lab", "osFamily", "HCE", "tags", tags))).json().get("id").asLong();
  }

  /** A report with openssl at {@code release}: 15.hce2 misses a Critical security patch, 21.hce2 has it. */
  void scan(long hostId, String release) {
    var installed = List.of(new InstalledPackage("openssl", Evr.parse("1:1.1.1m-" + release), "x86_64", NOW));
    var advisories = List.of(new Advisory("HCE2-SA-2026-0001", "openssl", "security", PatchCategory.SECURITY,
        PatchSeverity.CRITICAL, NOW.minusSeconds(30 * 86400),
        List.of(new AdvisoryPackage("openssl", Evr.parse("1:1.1.1m-21.hce2"), "x86_64")), List.of("CVE-2024-0727"),
        false));
    var inventory = new HostInventory("hce", "2.0", "HCE 2.0", "5.10.0-1.hce2.x86_64", NOW.minusSeconds(3600), installed,
        Set.of(), advisories, false, 60L);
    var compliance = new ComplianceEngine().evaluate(inventory, hceDefault, NOW, Set.of());
    reports.replace(hostId, hceDefault.id(), null, "SCAN", NOW, inventory, compliance);
  }

  @Test
  void readsTheSeriesByDayBaselineAndGroup() {
    long a = host("web-1", Map.of("zone", "az1"));
    long b = host("web-2", Map.of());
    host("web-3", Map.of("zone", "az2")); // never scanned: unknown under HCE-default
    scan(a, "15.hce2");
    scan(b, "21.hce2");
    history.snapshot(LocalDate.parse("2025-06-01"), NOW, List.of("zone"));
    scan(a, "21.hce2");
    history.snapshot(LocalDate.parse("2025-06-02"), NOW.plusSeconds(86400), List.of("zone"));

    Response all = admin.as(ApiTestProperties.VIEWER)
        .get("/api/v1/compliance/history?from=2025-06-01&to=2025-06-02&baselineId=" + hceDefault.id());
    assertThat(all.status()).as(all.toString()).isEqualTo(200);
    JsonNode points = all.json();
    assertThat(points).hasSize(2);
    JsonNode first = points.get(0);
    assertThat(first.get("day").asText()).isEqualTo("2025-06-01");
    assertThat(first.get("baselineId").asLong()).isEqualTo(hceDefault.id());
    assertThat(first.get("baselineName").asText()).isEqualTo("HCE-default");
    assertThat(first.get("group").isNull()).isTrue();
    assertThat(List.of(first.get("hosts").asLong(), first.get("compliant").asLong(), first.get("nonCompliant").asLong(),
        first.get("unknown").asLong())).containsExactly(3L, 1L, 1L, 1L);
    assertThat(first.get("byState").get("MISSING").asLong()).isEqualTo(1);
    assertThat(first.get("byLevel").get("HIGH").get("MISSING").asLong()).isEqualTo(1);
    assertThat(points.get(1).get("day").asText()).isEqualTo("2025-06-02");
    assertThat(points.get(1).get("compliant").asLong()).isEqualTo(2);

    JsonNode byZone = admin.get("/api/v1/compliance/history?from=2025-06-01&to=2025-06-01&groupBy=tag:zone").json();
    List<String> groups = new ArrayList<>();
    byZone.forEach(p -> groups.add(p.get("group").asText()));
    assertThat(groups).containsExactly("az1", "az2", ComplianceSummary.NO_TAG);
    JsonNode byOs = admin.get("/api/v1/compliance/history?from=2025-06-01&to=2025-06-02&groupBy=os").json();
    assertThat(byOs).hasSize(2);
    assertThat(byOs.get(0).get("group").asText()).isEqualTo("HCE");
    // no range: the last 30 days, which these days are not in
    assertThat(admin.get("/api/v1/compliance/history").json()).isEmpty();
  }

  @Test
  void anOperatorTakesTodaysSnapshotNowAViewerMayNot() {
    scan(host("web-1", Map.of("zone", "az1")), "15.hce2");
    assertProblem(admin.as(ApiTestProperties.VIEWER).post("/api/v1/compliance/history/snapshots", ""), 403);

    Response taken = admin.as(ApiTestProperties.OPERATOR).post("/api/v1/compliance/history/snapshots", "");
    assertThat(taken.status()).as(taken.toString()).isEqualTo(201);
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    assertThat(taken.json().get("day").asText()).isEqualTo(today);
    List<String> groups = new ArrayList<>();
    taken.json().get("points").forEach(p -> groups.add(p.get("group").asText()));
    assertThat(groups).containsExactly("null", "HCE", "az1"); // all hosts, by OS, by the configured tag key

    JsonNode series = admin.get("/api/v1/compliance/history").json();
    assertThat(series).hasSize(1);
    assertThat(series.get(0).get("day").asText()).isEqualTo(today);
    assertThat(series.get(0).get("nonCompliant").asLong()).isEqualTo(1);
  }

  @Test
  void badInputGets400NamingTheField() {
    String h = "/api/v1/compliance/history";
    assertProblem(admin.get(h + "?groupBy=zone"), 400, "groupBy");
    assertProblem(admin.get(h + "?groupBy=tag:-zone"), 400, "groupBy");
    assertProblem(admin.get(h + "?from=27.11.2026"), 400, "from");
    assertProblem(admin.get(h + "?to=2026-02-30"), 400, "to");
    assertProblem(admin.get(h + "?from=2025-06-02&to=2025-06-01"), 400, "from");
    assertProblem(admin.get(h + "?from=2024-01-01&to=2025-06-01"), 400, "from");
    assertProblem(admin.get(h + "?baselineId=abc"), 400, "baselineId");
    assertProblem(admin.get(h + "?baselineId=0"), 400, "baselineId");
    assertProblem(admin.as(null).get(h), 401);
  }

  static void assertProblem(Response r, int status, String... fields) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    if (fields.length > 0) {
      List<String> got = new ArrayList<>();
      r.json().get("errors").forEach(e -> got.add(e.get("field").asText()));
      assertThat(got).as(r.toString()).containsExactly(fields);
    }
  }
}
