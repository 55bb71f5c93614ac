package io.patchloop.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.http.RecordingHttpServer;
import io.patchloop.testing.lab.LabFleet;
import java.io.IOException;
import java.time.Duration;
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
 * Maintenance windows and hooks around each host, end to end: the standalone platform runs an admin's hook scripts over SSH
 * on real lab hosts around real dnf installs. A pre-hook sees the host before its install and a
 * post-hook after it; a failing pre-hook leaves the host's packages exactly as they were; a failing
 * post-hook fails its host and counts toward the threshold. A repair bound to a window that opens
 * every other minute for one minute starts no host outside it: it shows WAITING with the next
 * opening, and goes on then, every host recorded once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RepairHooksEndToEndTest {

  @RegisterExtension
  static LabFleet fleet = LabFleet.builder().hosts(3).profile("demo").build();

  TestPlatform platform;
  ApiClient api;
  Map<String, Long> ids;
  long baseline;
  LabFleet.Host missingSome;
  LabFleet.Host patched;
  LabFleet.Host rejectable;

  @BeforeAll
  void start() throws IOException {
    platform = TestPlatform.start("--patchloop.repair.reboot-poll-interval=1s");
    api = platform.api;
    ids = platform.importFleet(fleet, h -> Map.of());
    baseline = platform.baseline(Map.of("name", "hooks-e2e", "os", "HCE",
        "rules", List.of(Map.of("approveAfterDays", 0, "complianceLevel", "HIGH"))));
    missingSome = fleet.hostIn("demo", "missing-some");
    patched = fleet.hostIn("demo", "patched");
    rejectable = fleet.hostIn("demo", "rejectable");
    JsonNode scan = platform.waitForEnd(platform.ticket(Map.of("operation", "SCAN", "selector", Map.of("all", true),
        "baselineId", baseline, "concurrency", 3)), Duration.ofMinutes(3));
    assertThat(scan.get("ticket").get("succeeded").asInt()).as(scan.toString()).isEqualTo(3);

    hook("snapshot-packages", """
        #!/bin/sh
        # the host before its install, kept where the post-hook and the test can read it
        mkdir -p /var/tmp/patchloop && rpm -q openssl > "/var/tmp/patchloop/before-$2"
        echo "$1 $2: openssl was $(cat "/var/tmp/patchloop/before-$2")"
        """);
    hook("check-health", """
        test -f "/var/tmp/patchloop/before-$2" || { echo "no snapshot from the pre-hook" >&2; exit 3; }
        echo "$1 $2: openssl is $(rpm -q openssl)"
        """);
    hook("maintenance-lock", """
        echo "checking the maintenance lock"
        echo "maintenance lock held by change CHG0042" >&2
        exit 7
        """);
    hook("failing-health", "echo 'GET /health: 503' >&2; exit 2\n");
    // a pre-hook that takes half a window's minute: three hosts one at a time cannot all start in one opening
    hook("slow-drain", "sleep 31; echo drained\n");
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  void hook(String name, String script) {
    var created = api.post("/api/v1/hooks", ApiClient.json(Map.of("name", name, "script", script,
        "timeoutSeconds", 60)));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
  }

  long id(LabFleet.Host h) {
    return ids.get(h.name());
  }

  String packages(LabFleet.Host h) {
    return fleet.ssh(h.index(), "rpm -qa | sort").stdout();
  }

  @Test
  @Order(1)
  void thePreHookSeesTheHostBeforeItsInstallAndThePostHookAfter() {
    String opensslBefore = fleet.ssh(missingSome.index(), "rpm -q openssl").stdout().strip();
    String ticket = platform.ticket(Map.of("operation", "REPAIR", "hostIds", List.of(id(missingSome)),
        "preHook", "snapshot-packages", "postHook", "check-health@1"));
    JsonNode t = platform.waitForEnd(ticket, Duration.ofMinutes(4));
    assertThat(t.get("ticket").get("status").asText()).as(t.toString()).isEqualTo("COMPLETED");

    JsonNode host = TestPlatform.byHostName(t).get(missingSome.name());
    assertThat(host.get("state").asText()).isEqualTo("SUCCEEDED");
    String opensslAfter = fleet.ssh(missingSome.index(), "rpm -q openssl").stdout().strip();
    assertThat(opensslAfter).as("the repair upgraded openssl").isNotEqualTo(opensslBefore);
    assertThat(fleet.ssh(missingSome.index(), "cat /var/tmp/patchloop/before-" + ticket).stdout().strip())
        .as("what the pre-hook saw").isEqualTo(opensslBefore);
    assertThat(host.get("hookOutput").asText())
        .matches("(?s)pre-hook snapshot-packages@1 exited 0 in [0-9.]+ s:\n"
            + "pre " + ticket + ": openssl was " + opensslBefore.replace(".", "\\.").replace("+", "\\+") + "\n"
            + "post-hook check-health@1 exited 0 in [0-9.]+ s:\n"
            + "post " + ticket + ": openssl is " + opensslAfter.replace(".", "\\.").replace("+", "\\+"));
  }

  @Test
  @Order(2)
  void aFailingPreHookLeavesTheHostsPackagesUntouchedAndRunsNoPostHook() {
    String before = packages(rejectable);
    String ticket = platform.ticket(Map.of("operation", "REPAIR", "hostIds", List.of(id(rejectable)),
        "preHook", "maintenance-lock", "postHook", "check-health", "rebootOption", "REBOOT_IF_NEEDED"));
    JsonNode t = platform.waitForEnd(ticket, Duration.ofMinutes(3));
    assertThat(t.get("ticket").get("status").asText()).as(t.toString()).isEqualTo("COMPLETED");
    assertThat(t.get("ticket").get("failed").asInt()).isEqualTo(1);

    JsonNode host = TestPlatform.byHostName(t).get(rejectable.name());
    assertThat(host.get("state").asText()).isEqualTo("FAILED");
    assertThat(host.get("errorKind").asText()).isEqualTo("PRE_HOOK_FAILED");
    assertThat(host.get("errorMessage").asText()).matches("pre-hook maintenance-lock@1 exited 7 in [0-9.]+ s:"
        + " maintenance lock held by change CHG0042; nothing was installed");
    assertThat(host.get("hookOutput").asText()).as("stdout, then stderr; no post-hook ran")
        .endsWith("checking the maintenance lock\nmaintenance lock held by change CHG0042").doesNotContain("post-hook");
    assertThat(packages(rejectable)).as("not one package changed").isEqualTo(before);
    assertThat(platform.report(id(rejectable)).get("operation").asText()).as("no repair report").isEqualTo("SCAN");
    JsonNode lastError = api.get("/api/v1/hosts/" + id(rejectable)).json();
    assertThat(lastError.toString()).contains("PRE_HOOK_FAILED");
  }

  @Test
  @Order(3)
  void aFailingPostHookFailsItsHostAndTheThresholdStopsTheTicket() {
    String before = packages(rejectable);
    String ticket = platform.ticket(Map.of("operation", "REPAIR", "hostIds", List.of(id(patched), id(rejectable)),
        "postHook", "failing-health", "batch", Map.of("strategy", "FIXED", "size", 1), "concurrency", 1,
        "suspension", Map.of("maxFailures", 1)));
    JsonNode t = platform.waitForEnd(ticket, Duration.ofMinutes(3));
    assertThat(t.get("ticket").get("status").asText()).as(t.toString()).isEqualTo("ABNORMAL");
    var hosts = TestPlatform.byHostName(t);
    JsonNode failed = hosts.get(patched.name());
    assertThat(failed.get("errorKind").asText()).isEqualTo("POST_HOOK_FAILED");
    assertThat(failed.get("errorMessage").asText()).matches("post-hook failing-health@1 exited 2 in [0-9.]+ s:"
        + " GET /health: 503");
    assertThat(failed.get("complianceStatus").asText()).as("the repair's own report").isEqualTo("COMPLIANT");
    assertThat(hosts.get(rejectable.name()).get("state").asText()).isEqualTo("NOT_RUN");
    assertThat(packages(rejectable)).isEqualTo(before);
  }

  /**
   * A window open on even minutes of UTC for one minute, three hosts at concurrency 1 whose
   * pre-hook takes 31 s: they cannot all start in one opening, so the ticket waits at least once
   * (also at the start, when it is created in an odd minute). Runs two to four minutes.
   */
  /**
   * The self-closing loop: a plan whose runs scan and then repair what the scan found non-compliant,
   * fired by hand, leaves the lab fleet compliant; its run names both tickets.
   */
  @Test
  @Order(4)
  void aPlanThatRepairsAfterItsScanLeavesANonCompliantFleetCompliant() {
    assertThat(platform.report(id(rejectable)).get("status").asText()).as("left by the tests before")
        .isEqualTo("NON_COMPLIANT");
    var created = api.post("/api/v1/inspection-plans", ApiClient.json(Map.of("name", "close-the-loop",
        "cron", "0 3 * * *", "timeZone", "UTC", "selector", Map.of("all", true), "baselineId", baseline,
        "concurrency", 3, "afterScan", "REPAIR", "rebootOption", "REBOOT_IF_NEEDED",
        "preHook", "snapshot-packages", "postHook", "check-health")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    long plan = created.json().get("plan").get("id").asLong();
    assertThat(created.json().get("plan").get("afterScan").asText()).isEqualTo("REPAIR");
    assertThat(api.post("/api/v1/inspection-plans/" + plan + "/trigger", "").status()).isEqualTo(202);

    JsonNode run = null;
    java.time.Instant deadline = java.time.Instant.now().plus(Duration.ofMinutes(4));
    while (run == null || !run.hasNonNull("repairTicketId")) {
      assertThat(java.time.Instant.now()).as("the run's repair: " + run).isBefore(deadline);
      JsonNode runs = api.get("/api/v1/inspection-plans/" + plan + "/runs").json();
      run = runs.isEmpty() ? null : runs.get(0);
      JsonNode noRepair = run == null ? null : run.get("repairReason");
      assertThat(noRepair == null || noRepair.isNull()).as("why no repair: " + run).isTrue();
      sleep(Duration.ofSeconds(1));
    }
    JsonNode scan = platform.waitForEnd(run.get("ticketId").asText(), Duration.ofMinutes(1));
    assertThat(scan.get("ticket").get("operation").asText()).isEqualTo("SCAN");
    JsonNode repair = platform.waitForEnd(run.get("repairTicketId").asText(), Duration.ofMinutes(4));
    assertThat(repair.get("ticket").get("operation").asText()).isEqualTo("REPAIR");
    assertThat(repair.get("ticket").get("status").asText()).as(repair.toString()).isEqualTo("COMPLETED");
    List<String> foundNonCompliant = new java.util.ArrayList<>();
    scan.get("hosts").forEach(h -> {
      if (h.get("complianceStatus").asText().equals("NON_COMPLIANT")) {
        foundNonCompliant.add(h.get("hostName").asText());
      }
    });
    // rejectable was never repaired; a repaired host may still wait for the reboot into its new kernel
    assertThat(foundNonCompliant).contains(rejectable.name()).doesNotContain(patched.name());
    assertThat(repair.get("hosts")).extracting(h -> h.get("hostName").asText())
        .as("exactly what the scan found non-compliant").containsExactlyInAnyOrderElementsOf(foundNonCompliant);
    assertThat(repair.get("hosts")).allSatisfy(h -> assertThat(h.get("hookOutput").asText())
        .contains("post-hook check-health@1 exited 0"));
    JsonNode preview = repair.get("ticket").get("preview");
    assertThat(preview.get("hosts").asInt()).as("the preview recorded on the repair: " + preview)
        .isEqualTo(foundNonCompliant.size());
    assertThat(preview.get("batchSizes")).extracting(JsonNode::asInt).containsExactly(foundNonCompliant.size());
    assertThat(preview.get("patches").asInt()).as("rejectable's missing patches at least").isPositive();
    for (LabFleet.Host h : List.of(missingSome, patched, rejectable)) {
      assertThat(platform.report(id(h)).get("status").asText()).as(h.name()).isEqualTo("COMPLIANT");
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  @Order(5)
  void aRepairBoundToAWindowWaitsOutsideItAndResumesAtTheNextOpening() throws Exception {
    var window = api.post("/api/v1/maintenance-windows", ApiClient.json(Map.of("name", "even-minutes",
        "cron", "*/2 * * * *", "timeZone", "UTC", "durationMinutes", 1, "selector", Map.of("all", true))));
    assertThat(window.status()).as(window.toString()).isEqualTo(201);
    // on call hears of the window's repair: a webhook channel subscribed to MAINTENANCE_WINDOW
    RecordingHttpServer onCall = new RecordingHttpServer();
    var channel = api.post("/api/v1/notification-channels", ApiClient.json(Map.of("name", "on-call", "type", "WEBHOOK",
        "webhook", Map.of("url", onCall.url("/on-call"), "secret", "an-on-call-webhook-secret"))));
    assertThat(channel.status()).as(channel.toString()).isEqualTo(201);
    var subscribed = api.post("/api/v1/notification-subscriptions", ApiClient.json(Map.of("channelId",
        channel.json().get("id").asLong(), "event", "MAINTENANCE_WINDOW")));
    assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(201);
    String ticket = platform.ticket(Map.of("operation", "REPAIR", "hostIds",
        List.of(id(missingSome), id(patched), id(rejectable)), "concurrency", 1, "preHook", "slow-drain",
        "maintenanceWindow", "even-minutes"));

    List<String> waits = new java.util.ArrayList<>();
    JsonNode t = platform.waitFor(ticket, seen -> {
      JsonNode row = seen.get("ticket");
      if (row.get("status").asText().equals("WAITING")) {
        waits.add(row.get("waitingFor").asText());
      }
      return List.of("COMPLETED", "ABNORMAL", "CANCELLED", "FAILED").contains(row.get("status").asText());
    }, Duration.ofMinutes(6));

    assertThat(t.get("ticket").get("status").asText()).as(t.toString()).isEqualTo("COMPLETED");
    assertThat(t.get("ticket").get("succeeded").asInt()).isEqualTo(3);
    assertThat(t.get("hosts")).hasSize(3);
    assertThat(waits).as("seen WAITING through the API").isNotEmpty()
        .allMatch(w -> w.matches("maintenance window even-minutes, opens at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d[02468] UTC"
            + " \\(.+Z\\)"));
    for (JsonNode h : t.get("hosts")) {
      java.time.Instant started = java.time.Instant.parse(h.get("startedAt").asText());
      assertThat(started.getEpochSecond() / 60 % 2).as(h.get("hostName").asText() + " started at " + started
          + ", inside the window").isZero();
      assertThat(h.get("hookOutput").asText()).contains("pre-hook slow-drain@1 exited 0");
    }
    java.time.Instant told = java.time.Instant.now().plusSeconds(30);
    List<String> phases = new java.util.ArrayList<>();
    while (!phases.contains("ENDED") && java.time.Instant.now().isBefore(told)) {
      sleep(Duration.ofMillis(500));
      phases.clear();
      for (RecordingHttpServer.Request r : onCall.to("/on-call")) {
        phases.add(r.body().replaceAll(".*\"phase\":\"([A-Z]+)\".*", "$1"));
      }
    }
    onCall.close();
    assertThat(phases).as("what on call was told").contains("WAITING", "RESUMED", "ENDED")
        .containsOnly("STARTED", "WAITING", "RESUMED", "ENDED");
    assertThat(phases.stream().filter(p -> p.equals("WAITING")).count())
        .isEqualTo(phases.stream().filter(p -> p.equals("RESUMED")).count());
  }

  static String hmac(String secret, String body) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /**
   * The HTTP hook around each batch, against a real HTTP server on loopback: a signed POST before
   * and after each batch, with its hosts and counts; one that answers 503 (after its retries) stops
   * the ticket before any host is touched.
   */
  @Test
  @Order(6)
  void aBatchHookIsCalledSignedAroundEachBatchAndARefusalStopsTheTicket() throws Exception {
    String secret = "a-load-balancer-secret-123";
    try (RecordingHttpServer lb = new RecordingHttpServer()) {
      lb.answer("/refuse", 503, "{\"error\":\"pool is locked\"}");
      String ticket = platform.ticket(Map.of("operation", "REPAIR", "hostIds",
          List.of(id(missingSome), id(patched), id(rejectable)), "batch", Map.of("strategy", "FIXED", "size", 2),
          "concurrency", 2, "batchHook", Map.of("url", lb.url("/lb"), "secret", secret)));
      JsonNode t = platform.waitForEnd(ticket, Duration.ofMinutes(3));
      assertThat(t.get("ticket").get("status").asText()).as(t.toString()).isEqualTo("COMPLETED");
      List<RecordingHttpServer.Request> calls = lb.to("/lb");
      assertThat(calls).extracting(c -> c.header("X-Patchloop-Event")).containsExactly("BATCH_STARTING",
          "BATCH_FINISHED", "BATCH_STARTING", "BATCH_FINISHED");
      for (RecordingHttpServer.Request c : calls) {
        assertThat(c.header("X-Patchloop-Signature")).isEqualTo(hmac(secret, c.body()));
      }
      JsonNode first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(calls.get(0).body());
      assertThat(first.get("ticketId").asText()).isEqualTo(ticket);
      assertThat(first.get("batch").asInt()).isEqualTo(1);
      assertThat(first.get("batchCount").asInt()).isEqualTo(2);
      assertThat(first.get("hosts")).extracting(h -> h.get("name").asText()).hasSize(2);
      JsonNode last = new com.fasterxml.jackson.databind.ObjectMapper().readTree(calls.get(3).body());
      assertThat(last.get("succeeded").asInt() + last.get("failed").asInt()).isEqualTo(1);
      assertThat(t.get("batchHook").get("calls").asInt()).isEqualTo(4);
      assertThat(t.get("batchHook").get("lastError").isNull()).isTrue();
      assertThat(t.get("ticket").get("parameters").get("batchHook").get("secret").asText()).isEqualTo("********");

      String before = packages(rejectable);
      String refused = platform.ticket(Map.of("operation", "REPAIR", "hostIds", List.of(id(rejectable)),
          "batchHook", Map.of("url", lb.url("/refuse"), "secret", secret)));
      JsonNode r = platform.waitForEnd(refused, Duration.ofMinutes(2));
      assertThat(r.get("ticket").get("status").asText()).as(r.toString()).isEqualTo("ABNORMAL");
      assertThat(r.get("hosts").get(0).get("state").asText()).isEqualTo("NOT_RUN");
      assertThat(r.get("hosts").get(0).get("errorMessage").asText())
          .isEqualTo("the ticket's batch hook did not answer 2xx before this host's batch started");
      assertThat(r.get("batchHook").get("lastError").asText()).startsWith("answered 503");
      assertThat(lb.to("/refuse")).as("tried again on a 503").hasSizeGreaterThan(1);
      assertThat(packages(rejectable)).isEqualTo(before);
    }
  }
}
