package io.patchloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.patchloop.reports.ReportStore;
import io.patchloop.rpm.Evr;
import io.patchloop.testing.http.ApiClient.Response;
import io.patchloop.testing.http.ApiClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The API over real HTTP on loopback, against a real MariaDB; Temporal is the in-memory test server (no tickets yet). */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiHttpTest {

  static final String ADMIN = ApiTestProperties.ADMIN;
  static final String OPERATOR = ApiTestProperties.OPERATOR;
  static final String VIEWER = ApiTestProperties.VIEWER;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "apihttp", ApiTestProperties.EVERY_ROLE);
  }

  @LocalServerPort int port;
  ApiClient admin;

  @BeforeEach
  void client() {
    admin = new ApiClient("http://127.0.0.1:" + port, ADMIN);
    // each test starts from no hosts and no own baselines
    for (JsonNode h : admin.get("/api/v1/hosts?size=500").json().get("items")) {
      admin.delete("/api/v1/hosts/" + h.get("id").asLong());
    }
    for (JsonNode c : admin.get("/api/v1/credentials").json()) {
      admin.delete("/api/v1/credentials/" + c.get("id").asLong());
    }
  }

  static String host(String name) {
    return ApiClient.json(Map.of("name", name, "address", "127.0.0.1", "port", 2201, "keyPath", "/keys/lab",
        "osFamily", "HCE", "tags", Map.of("zone", "az1")));
  }

  static void assertProblem(Response r, int status, String... fields) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("io.patchloop.");
    if (fields.length > 0) {
      List<String> got = new ArrayList<>();
      r.json().get("errors").forEach(e -> got.add(e.get("field").asText()));
      assertThat(got).as(r.toString()).containsExactlyInAnyOrder(fields);
      r.json().get("errors").forEach(e -> assertThat(e.get("reason").asText()).isNotBlank());
    }
  }

  @Test
  void healthAndOpenApiAreOpenEverythingElseWantsAToken() {
    var anonymous = admin.as(null);
    assertThat(anonymous.get("/actuator/health").body()).contains("UP");
    Response docs = anonymous.get("/v3/api-docs");
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.json().get("paths").has("/api/v1/hosts")).isTrue();
    assertThat(docs.json().get("paths").has("/api/v1/baselines/{id}")).isTrue();
    assertProblem(anonymous.get("/api/v1/hosts"), 401);
    assertProblem(admin.as("not-a-valid-token-at-all-xxxxxxxx").get("/api/v1/hosts"), 401);
  }

  @Test
  void rolesViewerReadsOperatorRunsTicketsAdminManages() {
    assertThat(admin.as(VIEWER).get("/api/v1/hosts").status()).isEqualTo(200);
    assertProblem(admin.as(VIEWER).post("/api/v1/hosts", host("v-1")), 403);
    assertProblem(admin.as(OPERATOR).post("/api/v1/hosts", host("o-1")), 403);
    assertProblem(admin.as(OPERATOR).post("/api/v1/baselines", "{}"), 403);
    assertThat(admin.post("/api/v1/hosts", host("a-1")).status()).isEqualTo(201);
  }

  @Test
  void hostRoundTrip() {
    Response created = admin.post("/api/v1/hosts", host("web-1"));
    assertThat(created.status()).isEqualTo(201);
    long id = created.json().get("id").asLong();
    JsonNode got = admin.get("/api/v1/hosts/" + id).json();
    assertThat(got.get("name").asText()).isEqualTo("web-1");
    assertThat(got.get("username").asText()).isEqualTo("root");
    assertThat(got.get("scenario").asText()).isEqualTo("ECS");
    assertThat(got.get("complianceStatus").asText()).isEqualTo("UNKNOWN");
    assertThat(got.get("tags").get("zone").asText()).isEqualTo("az1");

    Response updated = admin.put("/api/v1/hosts/" + id, ApiClient.json(Map.of("name", "web-1", "address",
        "web-1.example.com", "keyPath", "/keys/lab", "osFamily", "CENTOS", "scenario", "BMS", "tags",
        Map.of("app", "shop"))));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    assertThat(updated.json().get("osFamily").asText()).isEqualTo("CENTOS");

    JsonNode listed = admin.get("/api/v1/hosts?tag=app:shop&osFamily=CENTOS&scenario=BMS").json();
    assertThat(listed.get("total").asInt()).isEqualTo(1);
    assertThat(admin.get("/api/v1/hosts?tag=zone:az1").json().get("total").asInt()).isZero();

    assertThat(admin.delete("/api/v1/hosts/" + id).status()).isEqualTo(204);
    assertProblem(admin.get("/api/v1/hosts/" + id), 404);
  }

  @Test
  void badHostInputGets400WithEveryFieldAndReason() {
    assertProblem(admin.post("/api/v1/hosts", "{\"name\":\"x\",\"sshPort\":22}"), 400, "sshPort");
    assertProblem(admin.post("/api/v1/hosts", "{\"name\":\"x\",\"osFamily\":\"WINDOWS\"}"), 400, "osFamily");
    assertProblem(admin.post("/api/v1/hosts", "{\"name\":\"x\",\"port\":\"twenty-two\"}"), 400, "port");
    assertProblem(admin.post("/api/v1/hosts", "{\"name\":\"x\",\"tags\":[\"zone\"]}"), 400, "tags");
    assertProblem(admin.post("/api/v1/hosts", "{\"name\": "), 400, "body");
    assertProblem(admin.post("/api/v1/hosts", ""), 400);
    assertProblem(admin.post("/api/v1/hosts", "{}"), 400, "name", "address", "keyPath", "osFamily");
    assertProblem(admin.post("/api/v1/hosts", ApiClient.json(Map.of("name", "-rf", "address", "$(reboot)",
        "port", 0, "username", "Root", "keyPath", "relative/key", "osFamily", "HCE"))), 400,
        "name", "address", "port", "username", "keyPath");
    assertProblem(admin.get("/api/v1/hosts?osFamily=BSD"), 400, "osFamily");
    assertProblem(admin.get("/api/v1/hosts?tag=zone"), 400, "tag");
    assertProblem(admin.get("/api/v1/hosts?size=0"), 400, "size");
    assertProblem(admin.get("/api/v1/hosts/abc"), 400, "id");
    assertProblem(admin.post("/api/v1/hosts", "text/plain", "name=x"), 415);
    admin.post("/api/v1/hosts", host("dup"));
    assertProblem(admin.post("/api/v1/hosts", host("dup")), 409, "name");
  }

  @Test
  void importJsonIsAllOrNothing() {
    admin.post("/api/v1/hosts", host("existing"));
    String batch = "[" + host("n-1") + "," + host("existing") + ",{\"name\":\"n-3\",\"address\":\"10.0.0.3\"}]";
    assertProblem(admin.post("/api/v1/hosts/import", batch), 400, "[1].name", "[2].keyPath", "[2].osFamily");
    assertThat(admin.get("/api/v1/hosts").json().get("total").asInt()).isEqualTo(1);
    Response ok = admin.post("/api/v1/hosts/import", "[" + host("n-1") + "," + host("n-2") + "]");
    assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
    assertThat(ok.json().get("imported").asInt()).isEqualTo(2);
    assertProblem(admin.post("/api/v1/hosts/import", "[]"), 400, "body");
  }

  @Test
  void importCsvNamesTheLineOfEachProblem() {
    String bad = "name,address,port,keyPath,osFamily,tags\n"
        + "c-1,10.0.0.1,22,/keys/lab,HCE,zone=az1;app=shop\n"
        + "c-2,10.0.0.2,99999,/keys/lab,HCE,\n"
        + "c-3,10.0.0.3,22,/keys/lab,AIX,\n";
    assertProblem(admin.post("/api/v1/hosts/import", "text/csv", bad), 400, "line 3.port", "line 4.osFamily");
    assertThat(admin.get("/api/v1/hosts").json().get("total").asInt()).isZero();
    String good = "name,address,port,keyPath,osFamily,tags\n"
        + "c-1,10.0.0.1,22,/keys/lab,HCE,zone=az1;app=shop\n"
        + "c-2,10.0.0.2,2202,/keys/lab,centos,zone=az2\n";
    Response ok = admin.post("/api/v1/hosts/import", "text/csv", good);
    assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
    assertThat(admin.get("/api/v1/hosts?tag=zone:az2").json().get("items").get(0).get("port").asInt())
        .isEqualTo(2202);
  }

  @Test
  void credentialsAreWrittenButNeverReadBack() {
    String key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
    Response created = admin.post("/api/v1/credentials", ApiClient.json(Map.of("name", "fleet", "privateKey", key)));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.body()).doesNotContain("b3Bl").doesNotContain("PRIVATE KEY");
    assertThat(admin.get("/api/v1/credentials").body()).doesNotContain("b3Bl").contains("\"keyType\":\"OPENSSH\"");
    assertProblem(admin.as(VIEWER).post("/api/v1/credentials", ApiClient.json(Map.of("name", "x", "privateKey", key))), 403);
    assertProblem(admin.post("/api/v1/credentials", ApiClient.json(Map.of("name", "pub", "privateKey", "ssh-rsa AAAA"))),
        400, "privateKey");
    Response h = admin.post("/api/v1/hosts", ApiClient.json(Map.of("name", "k-1", "address", "10.0.0.1",
        "credentialName", "fleet", "osFamily", "EULEROS")));
    assertThat(h.status()).as(h.toString()).isEqualTo(201);
    assertThat(h.body()).doesNotContain("b3Bl");
    assertProblem(admin.delete("/api/v1/credentials/" + created.json().get("id").asLong()), 409, "id");
  }

  @Test
  void hostKeysCanBeRegisteredReplacedAndForgotten(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    long id = admin.post("/api/v1/hosts", host("keyed")).json().get("id").asLong();
    assertProblem(admin.get("/api/v1/hosts/" + id + "/host-key"), 404);
    java.nio.file.Path key = dir.resolve("hostkey");
    assertThat(new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).start().waitFor())
        .isZero();
    String publicLine = java.nio.file.Files.readString(dir.resolve("hostkey.pub")).strip();
    Process fp = new ProcessBuilder("ssh-keygen", "-l", "-f", dir.resolve("hostkey.pub").toString()).start();
    String expectedFingerprint = new String(fp.getInputStream().readAllBytes()).split(" ")[1];

    var put = admin.put("/api/v1/hosts/" + id + "/host-key", ApiClient.json(Map.of("publicKey", publicLine)));
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    assertThat(put.json().get("fingerprint").asText()).as("as ssh-keygen -l prints it").isEqualTo(expectedFingerprint);
    assertThat(admin.as(VIEWER).get("/api/v1/hosts/" + id + "/host-key").json().get("keyType").asText())
        .isEqualTo("ssh-ed25519");
    assertProblem(admin.as(OPERATOR).put("/api/v1/hosts/" + id + "/host-key",
        ApiClient.json(Map.of("publicKey", publicLine))), 403);
    assertProblem(admin.put("/api/v1/hosts/" + id + "/host-key", ApiClient.json(Map.of("publicKey", "ssh-ed25519 !!!"))),
        400, "publicKey");
    assertProblem(admin.put("/api/v1/hosts/" + id + "/host-key",
        ApiClient.json(Map.of("publicKey", publicLine.replace("ssh-ed25519", "ssh-rsa")))), 400, "publicKey");
    assertThat(admin.delete("/api/v1/hosts/" + id + "/host-key").status()).isEqualTo(204);
    assertProblem(admin.get("/api/v1/hosts/" + id + "/host-key"), 404);
  }

  @Autowired ReportStore reports;
  @Autowired BaselineStore baselines;

  @Test
  void complianceReportOfAHost() {
    long id = admin.post("/api/v1/hosts", host("scanned")).json().get("id").asLong();
    assertProblem(admin.get("/api/v1/hosts/" + id + "/compliance"), 404);
    assertProblem(admin.get("/api/v1/hosts/987654/compliance"), 404);

    // a report as a scan writes it: a missing Critical security patch and an installed bug fix
    Instant now = Instant.parse("2026-11-27T00:00:00Z");
    var installed = List.of(new InstalledPackage("openssl", Evr.parse("1:1.1.1m-15.hce2"), "x86_64", now),
        new InstalledPackage("nginx", Evr.parse("1:1.21.5-4.hce2"), "x86_64", now));
    var advisories = List.of(
        new Advisory("HCE2-SA-2026-0001", "openssl", "security", PatchCategory.SECURITY, PatchSeverity.CRITICAL,
            now.minusSeconds(30 * 86400), List.of(new AdvisoryPackage("openssl", Evr.parse("1:1.1.1m-21.hce2"), "x86_64")),
            List.of("CVE-2024-0727"), false),
        new Advisory("HCE2-BA-2026-0002", "nginx", "bugfix", PatchCategory.BUGFIX, PatchSeverity.LOW,
            now.minusSeconds(30 * 86400), List.of(new AdvisoryPackage("nginx", Evr.parse("1:1.21.5-4.hce2"), "x86_64")),
            List.of(), false));
    var inventory = new HostInventory("hce", "2.0", "HCE 2.0", "5.10.0-1.hce2.x86_64", now.minusSeconds(3600), installed,
        Set.of(), advisories, false, 60L);
    // the built-in one by name: another test may have made its own baseline the HCE default
    Baseline builtIn = baselines.list(OsFamily.HCE).stream().filter(b -> b.name().equals("HCE-default")).findFirst()
        .orElseThrow();
    var compliance = new ComplianceEngine().evaluate(inventory, builtIn, now, Set.of());
    reports.replace(id, builtIn.id(), null, "SCAN", now, inventory, compliance);

    Response r = admin.as(VIEWER).get("/api/v1/hosts/" + id + "/compliance");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode report = r.json();
    assertThat(report.get("status").asText()).isEqualTo("NON_COMPLIANT");
    assertThat(report.get("baselineName").asText()).isEqualTo(builtIn.name());
    assertThat(report.get("countsByState").get("MISSING").asInt()).isEqualTo(1);
    assertThat(report.get("countsByState").get("INSTALLED_OTHER").asInt()).as(r.body()).isEqualTo(1);
    assertThat(report.get("countsByLevel").get("HIGH").get("MISSING").asInt()).isEqualTo(1);
    JsonNode missing = report.get("patches").get(1);
    assertThat(missing.get("advisoryId").asText()).isEqualTo("HCE2-SA-2026-0001");
    assertThat(missing.get("state").asText()).isEqualTo("MISSING");
    assertThat(missing.get("complianceLevel").asText()).isEqualTo("HIGH");
    assertThat(missing.get("severity").asText()).isEqualTo("CRITICAL");
    assertThat(missing.get("category").asText()).isEqualTo("SECURITY");
    assertThat(missing.get("cves").get(0).asText()).isEqualTo("CVE-2024-0727");
    assertThat(missing.get("packages").get(0).get("installed").asText()).isEqualTo("1:1.1.1m-15.hce2");
    assertThat(missing.get("packages").get(0).get("fixed").asText()).isEqualTo("1:1.1.1m-21.hce2");
    assertThat(admin.get("/api/v1/hosts/" + id).json().get("complianceStatus").asText()).isEqualTo("NON_COMPLIANT");
    assertThat(admin.get("/api/v1/hosts?complianceStatus=NON_COMPLIANT").json().get("total").asInt()).isEqualTo(1);
  }

  /**
   * The report a scan of openssl at {@code opensslRelease} writes under HCE-default, against a
   * Critical security advisory fixed in 1.1.1m-21: MISSING below it, FAILED when a repair failed.
   */
  void report(long hostId, String opensslRelease, boolean repairFailed) {
    Instant now = Instant.parse("2026-11-27T00:00:00Z");
    var installed = List.of(new InstalledPackage("openssl", Evr.parse("1:1.1.1m-" + opensslRelease), "x86_64", now));
    var advisories = List.of(new Advisory("HCE2-SA-2026-0001", "openssl", "security", PatchCategory.SECURITY,
        PatchSeverity.CRITICAL, now.minusSeconds(30 * 86400),
        List.of(new AdvisoryPackage("openssl", Evr.parse("1:1.1.1m-21.hce2"), "x86_64")), List.of("CVE-2024-0727"),
        false));
    var inventory = new HostInventory("hce", "2.0", "HCE 2.0", "5.10.0-1.hce2.x86_64", now.minusSeconds(3600), installed,
        Set.of(), advisories, false, 60L);
    Baseline builtIn = baselines.list(OsFamily.HCE).stream().filter(b -> b.name().equals("HCE-default")).findFirst()
        .orElseThrow();
    var compliance = new ComplianceEngine().evaluate(inventory, builtIn, now,
        repairFailed ? Set.of("HCE2-SA-2026-0001") : Set.of());
    reports.replace(hostId, builtIn.id(), null, repairFailed ? "REPAIR" : "SCAN", now, inventory, compliance);
  }

  /** Issue 19: "repair the hosts missing this advisory", the listing and the preview of the REPAIR ticket alike. */
  @Test
  void theHostsMissingAnAdvisoryAreListedAndARepairOfThemPreviewed() {
    long missing = admin.post("/api/v1/hosts", host("missing")).json().get("id").asLong();
    long failed = admin.post("/api/v1/hosts", host("failed")).json().get("id").asLong();
    long installed = admin.post("/api/v1/hosts", host("installed")).json().get("id").asLong();
    admin.post("/api/v1/hosts", host("never-scanned"));
    report(missing, "15.hce2", false);
    report(failed, "15.hce2", true);
    report(installed, "21.hce2", false);
    assertThat(admin.get("/api/v1/hosts/" + failed + "/compliance").json().get("countsByState").get("FAILED").asInt())
        .isEqualTo(1);

    JsonNode listed = admin.as(VIEWER).get("/api/v1/hosts?missingAdvisory=HCE2-SA-2026-0001").json();
    List<String> names = new ArrayList<>();
    listed.get("items").forEach(h -> names.add(h.get("name").asText()));
    assertThat(names).containsExactly("missing", "failed");
    assertThat(admin.get("/api/v1/hosts?missingAdvisory=HCE2-SA-2026-0001&complianceStatus=COMPLIANT").json()
        .get("total").asInt()).as("AND with the other filters").isZero();
    assertProblem(admin.get("/api/v1/hosts?missingAdvisory=no%20such%20id"), 400, "missingAdvisory");

    Response preview = admin.as(OPERATOR).post("/api/v1/tickets/preview",
        "{\"operation\":\"REPAIR\",\"selector\":{\"missingAdvisory\":\"HCE2-SA-2026-0001\"}}");
    assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
    assertThat(preview.json().get("hosts").asInt()).isEqualTo(2);
    List<Long> previewed = new ArrayList<>();
    List<String> patches = new ArrayList<>();
    preview.json().get("batches").forEach(b -> b.get("hosts").forEach(h -> {
      previewed.add(h.get("hostId").asLong());
      h.get("patches").forEach(p -> patches.add(h.get("hostName").asText() + ": " + p.get("advisoryId").asText()
          + " " + p.get("state").asText()));
    }));
    assertThat(previewed).containsExactly(missing, failed);
    assertThat(patches).containsExactly("missing: HCE2-SA-2026-0001 MISSING", "failed: HCE2-SA-2026-0001 FAILED");

    assertProblem(admin.as(OPERATOR).post("/api/v1/tickets/preview",
        "{\"operation\":\"REPAIR\",\"selector\":{\"missingAdvisory\":\"HCE2-SA-2026-0001 && reboot\"}}"),
        400, "selector.missingAdvisory");
    Response none = admin.as(OPERATOR).post("/api/v1/tickets/preview",
        "{\"operation\":\"REPAIR\",\"selector\":{\"missingAdvisory\":\"HCE2-SA-2026-9999\"}}");
    assertProblem(none, 400, "selector");
    assertThat(none.body()).contains("selects no host");

    // as selector.complianceStatus, the advisory is read from reports under the ticket's baseline when it names one
    long other = admin.post("/api/v1/baselines", ApiClient.json(Map.of("name", "hce-other-" + missing, "os", "HCE",
        "rules", List.of(Map.of("approveAfterDays", 0, "complianceLevel", "HIGH"))))).json().get("id").asLong();
    Response underOther = admin.as(OPERATOR).post("/api/v1/tickets/preview", "{\"operation\":\"REPAIR\",\"baselineId\":"
        + other + ",\"selector\":{\"missingAdvisory\":\"HCE2-SA-2026-0001\"}}");
    assertProblem(underOther, 400, "selector");
    assertThat(underOther.body()).contains("selects no host");
    admin.delete("/api/v1/baselines/" + other);
  }

  @Test
  void baselineRoundTripAndOneDefaultPerOs() {
    JsonNode seeded = admin.as(VIEWER).get("/api/v1/baselines").json();
    List<String> defaults = new ArrayList<>();
    seeded.forEach(b -> {
      if (b.get("defaultForOs").asBoolean()) {
        defaults.add(b.get("os").asText());
      }
    });
    assertThat(defaults).as("a built-in default for every OS").containsExactlyInAnyOrder("HCE", "CENTOS", "EULEROS",
        "OPENEULER");

    String body = ApiClient.json(Map.of("name", "hce-weekly", "os", "HCE", "defaultForOs", true,
        "rules", List.of(Map.of("products", List.of("HCE 2.0"), "categories", List.of("SECURITY", "BUGFIX"),
            "severities", List.of("ALL"), "approveAfterDays", 3, "complianceLevel", "CRITICAL")),
        "approvedPatches", List.of("HCE2-SA-2025-0042"), "rejectedPatches", List.of("telnet*"),
        "rejectedPatchesAction", "BLOCK"));
    Response created = admin.post("/api/v1/baselines", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    long id = created.json().get("id").asLong();
    assertThat(admin.get("/api/v1/baselines?os=HCE").json()).filteredOn(b -> b.get("defaultForOs").asBoolean())
        .singleElement().satisfies(b -> assertThat(b.get("id").asLong()).isEqualTo(id));
    assertProblem(admin.delete("/api/v1/baselines/" + id), 409, "id");
    assertProblem(admin.post("/api/v1/baselines", body), 409, "name");
    Response updated = admin.put("/api/v1/baselines/" + id, body.replace("\"approveAfterDays\":3", "\"approveAfterDays\":5"));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    assertThat(updated.json().get("rules").get(0).get("approveAfterDays").asInt()).isEqualTo(5);

    assertProblem(admin.post("/api/v1/baselines", ApiClient.json(Map.of("name", "x", "os", "HCE",
        "rules", List.of(Map.of("approveAfterDays", 400, "approveUntilDate", "2025-01-01",
            "complianceLevel", "HIGH"))))), 400, "rules[0].approveAfterDays");
    assertProblem(admin.post("/api/v1/baselines", "{\"name\":\"x\",\"os\":\"HCE\",\"rules\":[{\"complianceLevel\":\"SEVERE\"}]}"),
        400, "rules[0].complianceLevel");
    assertProblem(admin.post("/api/v1/baselines", "{\"name\":\"x\",\"os\":\"HCE\",\"rules\":[{\"approveUntilDate\":\"soon\"}]}"),
        400, "rules[0].approveUntilDate");
    assertProblem(admin.get("/api/v1/baselines/424242"), 404);
  }
}
