package io.patchloop.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.lab.LabFleet;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Repair tickets end to end: the standalone platform repairs real lab hosts over SSH with dnf,
 * reboots them for real (a new boot of the lab host) and reads them back. The tests build on each
 * other, in order: scan, a repair stopped by its threshold, a preview and the repair it previews
 * (without reboot), then a repair with reboots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RepairTicketEndToEndTest {

  @RegisterExtension
  static LabFleet fleet = LabFleet.builder().hosts(5).profile("demo").and("quirks", 1).build();

  TestPlatform platform;
  ApiClient api;
  long baselineId;
  Map<String, Long> ids;
  LabFleet.Host missingSome;
  LabFleet.Host rejectable;
  LabFleet.Host pendingReboot;
  LabFleet.Host missingAll;
  LabFleet.Host quirks;
  String kernelAdvisory;

  @BeforeAll
  void start() throws IOException {
    platform = TestPlatform.start("--patchloop.repair.reboot-poll-interval=1s");
    api = platform.api;
    String[] zones = {"az1", "az2", "az3"};
    ids = platform.importFleet(fleet, h -> Map.of("zone", zones[h.index() % 3], "profile", h.profile()));
    // everything counts as soon as it is issued; telnet must never be installed
    baselineId = platform.baseline(Map.of("name", "repair-e2e", "os", "HCE",
        "rules", List.of(Map.of("approveAfterDays", 0, "complianceLevel", "HIGH")),
        "rejectedPatches", List.of("telnet"), "rejectedPatchesAction", "BLOCK"));
    missingSome = fleet.hostIn("demo", "missing-some");
    rejectable = fleet.hostIn("demo", "rejectable");
    pendingReboot = fleet.hostIn("demo", "pending-reboot");
    missingAll = fleet.hostIn("demo", "missing-all");
    quirks = fleet.hosts().stream().filter(h -> h.profile().equals("quirks")).findFirst().orElseThrow();
    for (JsonNode a : fleet.manifest("demo").get("advisories")) {
      if (a.get("packages").toString().contains("kernel-core-")) {
        kernelAdvisory = a.get("id").asText();
      }
    }
    assertThat(kernelAdvisory).isNotNull();
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  long id(LabFleet.Host h) {
    return ids.get(h.name());
  }

  Map<String, JsonNode> patches(LabFleet.Host h) {
    Map<String, JsonNode> m = new HashMap<>();
    platform.report(id(h)).get("patches").forEach(p -> m.put(p.get("advisoryId").asText(), p));
    return m;
  }

  String rpmQ(LabFleet.Host h, String name) {
    LabFleet.Result r = fleet.ssh(h.index(), "rpm -q " + name);
    return r.stdout().strip();
  }

  @Test
  @Order(1)
  void aScanFindsWhatToRepair() {
    String scan = platform.ticket(Map.of("operation", "SCAN", "selector", Map.of("all", true), "baselineId", baselineId,
        "concurrency", 6));
    JsonNode t = platform.waitForEnd(scan, Duration.ofMinutes(3));
    assertThat(t.get("ticket").get("succeeded").asInt()).as(t.toString()).isEqualTo(6);
    assertThat(patches(missingAll).values()).filteredOn(p -> p.get("state").asText().equals("MISSING")).hasSize(10);
  }

  @Test
  @Order(2)
  void aFailingPatchIsRecordedWithItsErrorAndTheThresholdStopsTheRepair() {
    String untouchedBefore = rpmQ(missingAll, "openssl");
    String id = platform.ticket(Map.of("operation", "REPAIR", "hostIds", List.of(id(quirks), id(missingAll),
        id(rejectable)), "baselineId", baselineId, "batch", Map.of("strategy", "FIXED", "size", 1), "concurrency", 1,
        "suspension", Map.of("maxFailures", 1)));
    JsonNode t = platform.waitForEnd(id, Duration.ofMinutes(3));

    assertThat(t.get("ticket").get("status").asText()).as(t.toString()).isEqualTo("ABNORMAL");
    var hosts = TestPlatform.byHostName(t);
    JsonNode failed = hosts.get(quirks.name());
    assertThat(failed.get("state").asText()).isEqualTo("FAILED");
    assertThat(failed.get("errorKind").asText()).isEqualTo("PATCHES_FAILED");
    assertThat(hosts.get(missingAll.name()).get("state").asText()).isEqualTo("NOT_RUN");
    assertThat(hosts.get(rejectable.name()).get("state").asText()).isEqualTo("NOT_RUN");
    assertThat(rpmQ(missingAll, "openssl")).as("a host after the threshold is not touched").isEqualTo(untouchedBefore);
    assertThat(platform.report(id(missingAll)).get("operation").asText()).isEqualTo("SCAN");

    // the failing upgrade is FAILED with dnf's words; every other patch of that host went in
    Map<String, JsonNode> after = patches(quirks);
    List<String> failing = new ArrayList<>();
    after.forEach((advisory, p) -> {
      if (p.get("state").asText().equals("FAILED")) {
        failing.add(advisory);
        assertThat(p.get("failureMessage").asText()).contains("PREIN scriptlet");
      }
    });
    assertThat(failing).hasSize(1);
    assertThat(after.get(failing.get(0)).get("packages").toString()).contains("legacy-agent");
    assertThat(after.values()).noneMatch(p -> p.get("state").asText().equals("MISSING"));
    assertThat(rpmQ(quirks, "legacy-agent")).contains("1.0-1");
    assertThat(rpmQ(quirks, "zstd")).contains("1.5.5^2024");
    JsonNode report = platform.report(id(quirks));
    assertThat(report.get("operation").asText()).isEqualTo("REPAIR");
    assertThat(report.get("ticketId").asText()).isEqualTo(id);
  }

  @Test
  @Order(3)
  void thePreviewShowsTheBatchesTheRepairRunsAndNoRebootLeavesKernelsPending() {
    Map<String, Object> body = Map.of("operation", "REPAIR",
        "selector", Map.of("tags", Map.of("profile", "demo"), "complianceStatus", "NON_COMPLIANT"),
        "baselineId", baselineId, "batch", Map.of("strategy", "AUTO", "tagKey", "zone", "percent", 50),
        "concurrency", 2);
    var previewed = api.post("/api/v1/tickets/preview", ApiClient.json(body));
    assertThat(previewed.status()).as(previewed.toString()).isEqualTo(200);
    JsonNode preview = previewed.json();
    assertThat(preview.get("hosts").asInt()).as("demo hosts not compliant: all but the patched one").isEqualTo(4);
    Map<Long, Integer> previewBatchOf = new HashMap<>();
    preview.get("batches").forEach(b -> b.get("hosts").forEach(h ->
        previewBatchOf.put(h.get("hostId").asLong(), b.get("batch").asInt())));
    assertThat(preview.get("batches").size()).isGreaterThan(1);
    List<Long> rebootHosts = new ArrayList<>();
    preview.get("rebootHosts").forEach(h -> rebootHosts.add(h.asLong()));
    assertThat(rebootHosts).containsExactlyInAnyOrder(id(missingSome), id(rejectable), id(pendingReboot),
        id(missingAll));
    JsonNode missingAllPlan = null;
    for (JsonNode b : preview.get("batches")) {
      for (JsonNode h : b.get("hosts")) {
        if (h.get("hostId").asLong() == id(missingAll)) {
          missingAllPlan = h;
        }
      }
    }
    assertThat(missingAllPlan.get("patches")).hasSize(10);
    assertThat(missingAllPlan.get("blockedPackages").toString()).contains("telnet");
    assertThat(preview.get("groups").get("zone")).isNotEmpty();
    assertThat(api.get("/api/v1/tickets?operation=REPAIR").json().get("total").asInt())
        .as("a preview starts nothing").isEqualTo(1);

    String id = platform.ticket(body);
    JsonNode t = platform.waitForEnd(id, Duration.ofMinutes(4));
    assertThat(t.get("ticket").get("status").asText()).as(t.toString()).isEqualTo("COMPLETED");
    Map<Long, Integer> ranBatchOf = new HashMap<>();
    t.get("hosts").forEach(h -> ranBatchOf.put(h.get("hostId").asLong(), h.get("batch").asInt()));
    assertThat(ranBatchOf).as("the preview's batches are the ticket's").isEqualTo(previewBatchOf);

    for (LabFleet.Host h : List.of(missingSome, missingAll)) {
      Map<String, JsonNode> p = patches(h);
      assertThat(p.get(kernelAdvisory).get("state").asText()).as(h.name()).isEqualTo("INSTALLED_PENDING_REBOOT");
      assertThat(p.values()).as(h.name()).noneMatch(x -> List.of("MISSING", "FAILED").contains(x.get("state").asText()));
      assertThat(platform.report(id(h)).get("status").asText()).isEqualTo("NON_COMPLIANT");
      assertThat(TestPlatform.byHostName(t).get(h.name()).get("detail").asText()).contains("reboot pending");
    }
    assertThat(rpmQ(rejectable, "telnet")).as("rejected with BLOCK: never installed").contains("0.17-83");
  }

  @Test
  @Order(4)
  void rebootIfNeededRebootsForRealAndTheHostsEndCompliant() {
    List<LabFleet.Host> hosts = List.of(missingSome, rejectable, pendingReboot, missingAll);
    Map<String, String> bootedBefore = new HashMap<>();
    for (LabFleet.Host h : hosts) {
      bootedBefore.put(h.name(), fleet.ssh(h.index(), "stat -c %Y /proc/1").stdout().strip());
    }
    String id = platform.ticket(Map.of("operation", "REPAIR", "hostIds", hosts.stream().map(this::id).toList(),
        "baselineId", baselineId, "concurrency", 4, "rebootOption", "REBOOT_IF_NEEDED", "rebootTimeoutSeconds", 120));
    JsonNode t = platform.waitForEnd(id, Duration.ofMinutes(4));
    assertThat(t.get("ticket").get("status").asText()).as(t.toString()).isEqualTo("COMPLETED");
    assertThat(t.get("ticket").get("succeeded").asInt()).isEqualTo(4);
    for (LabFleet.Host h : hosts) {
      assertThat(fleet.ssh(h.index(), "stat -c %Y /proc/1").stdout().strip()).as(h.name() + " booted again")
          .isNotEqualTo(bootedBefore.get(h.name()));
      assertThat(fleet.ssh(h.index(), "uname -r").stdout()).as(h.name() + " runs the new kernel").contains("182");
      JsonNode report = platform.report(id(h));
      assertThat(report.get("status").asText()).as(h.name()).isEqualTo("COMPLIANT");
      assertThat(report.get("operation").asText()).isEqualTo("REPAIR");
      assertThat(patches(h).get(kernelAdvisory).get("state").asText()).isEqualTo("INSTALLED");
      assertThat(TestPlatform.byHostName(t).get(h.name()).get("detail").asText()).contains("rebooted");
    }
  }

  /**
   * The quirks host still waits for a reboot (its new kernel from the repair of order 2), but its
   * reboot command now does nothing, as a hung shutdown would: the host never comes back with a
   * new boot, the wait runs out, the host fails and its failure stops the ticket.
   */
  @Test
  @Order(5)
  void aHostThatDoesNotComeBackFromItsRebootFailsAndCountsTowardTheThreshold() {
    String bootBefore = fleet.ssh(quirks.index(), "stat -c %Y /proc/1").stdout().strip();
    LabFleet.Result stubbed = fleet.ssh(quirks.index(),
        "printf '#!/bin/sh\\nexit 0\\n' > /usr/local/sbin/reboot && chmod 755 /usr/local/sbin/reboot");
    assertThat(stubbed.ok()).as(stubbed.toString()).isTrue();
    String id = platform.ticket(Map.of("operation", "REPAIR", "hostIds", List.of(id(quirks), id(missingSome)),
        "baselineId", baselineId, "batch", Map.of("strategy", "FIXED", "size", 1), "concurrency", 1,
        "rebootOption", "REBOOT_IF_NEEDED", "rebootTimeoutSeconds", 30, "suspension", Map.of("maxFailures", 1)));
    JsonNode t = platform.waitForEnd(id, Duration.ofMinutes(3));

    assertThat(t.get("ticket").get("status").asText()).as(t.toString()).isEqualTo("ABNORMAL");
    var hosts = TestPlatform.byHostName(t);
    JsonNode lost = hosts.get(quirks.name());
    assertThat(lost.get("state").asText()).isEqualTo("FAILED");
    assertThat(lost.get("errorKind").asText()).isEqualTo("REBOOT_TIMEOUT");
    assertThat(lost.get("errorMessage").asText()).contains("did not come back").contains("the reboot did not happen");
    assertThat(lost.get("detail").asText()).endsWith("; rebooting");
    assertThat(hosts.get(missingSome.name()).get("state").asText()).isEqualTo("NOT_RUN");
    assertThat(fleet.ssh(quirks.index(), "stat -c %Y /proc/1").stdout().strip()).isEqualTo(bootBefore);
    assertThat(api.get("/api/v1/hosts/" + id(quirks)).json().get("lastError").get("kind").asText())
        .isEqualTo("REBOOT_TIMEOUT");
  }

  @Test
  @Order(6)
  void badRepairRequestsAreRefusedWithTheField() {
    var scanWithReboot = api.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN",
        "selector", Map.of("all", true), "baselineId", baselineId, "rebootOption", "REBOOT_IF_NEEDED")));
    assertThat(scanWithReboot.status()).isEqualTo(400);
    assertThat(scanWithReboot.body()).contains("rebootOption");
    var shortTimeout = api.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "REPAIR",
        "hostIds", List.of(id(missingSome)), "rebootOption", "REBOOT_IF_NEEDED", "rebootTimeoutSeconds", 5)));
    assertThat(shortTimeout.status()).isEqualTo(400);
    assertThat(shortTimeout.body()).contains("rebootTimeoutSeconds");
    var badOption = api.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "REPAIR",
        "hostIds", List.of(id(missingSome)), "rebootOption", "ALWAYS")));
    assertThat(badOption.status()).isEqualTo(400);
    assertThat(badOption.body()).contains("rebootOption");
    long other = platform.baseline(Map.of("name", "other", "os", "HCE",
        "rules", List.of(Map.of("approveAfterDays", 0, "complianceLevel", "LOW"))));
    var noReport = api.post("/api/v1/tickets/preview", ApiClient.json(Map.of("operation", "REPAIR",
        "hostIds", List.of(id(missingSome)), "baselineId", other)));
    assertThat(noReport.status()).isEqualTo(400);
    assertThat(noReport.body()).contains("hostIds").contains("no compliance report under baseline " + other)
        .contains(missingSome.name());
  }
}
