package io.patchloop.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.lab.LabFleet;
import io.patchloop.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.spring.boot.ActivityImpl;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scan tickets end to end: the standalone platform (embedded MariaDB and Temporal, API, worker)
 * scans real lab hosts over SSH. Six hosts in different states, one of them with its sshd stopped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScanTicketEndToEndTest {

  @RegisterExtension
  static LabFleet fleet = LabFleet.builder().hosts(5).profile("demo").and("quirks", 1).build();

  TestPlatform platform;
  ApiClient api;
  long baselineId;
  final Map<String, Long> hostIds = new HashMap<>();
  LabFleet.Host down;

  @BeforeAll
  void start() throws IOException {
    platform = TestPlatform.start();
    api = platform.api;
    String[] zones = {"az1", "az2", "az3"};
    hostIds.putAll(platform.importFleet(fleet, h -> Map.of("zone", zones[h.index() % 3], "state", h.intendedState())));
    // security patches of severity Critical or Important count as soon as they are issued
    var baseline = api.post("/api/v1/baselines", ApiClient.json(Map.of("name", "e2e", "os", "HCE", "rules",
        List.of(Map.of("categories", List.of("SECURITY"), "severities", List.of("CRITICAL", "IMPORTANT"),
            "approveAfterDays", 0, "complianceLevel", "HIGH")))));
    assertThat(baseline.status()).as(baseline.toString()).isEqualTo(201);
    baselineId = baseline.json().get("id").asLong();
    down = fleet.hostIn("demo", "missing-all");
    fleet.stop(down.index());
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  JsonNode waitForEnd(String ticketId, Duration timeout) {
    return platform.waitForEnd(ticketId, timeout);
  }

  JsonNode waitFor(String ticketId, Predicate<JsonNode> condition, Duration timeout) {
    return platform.waitFor(ticketId, condition, timeout);
  }

  static Map<String, JsonNode> byHostName(JsonNode ticket) {
    return TestPlatform.byHostName(ticket);
  }

  @Test
  @Order(1)
  void aTicketScansEveryHostAndRecordsTheStoppedOneAsAFailure() {
    var created = api.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN", "selector", Map.of("all", true),
        "baselineId", baselineId, "batch", Map.of("strategy", "AUTO", "tagKey", "zone", "percent", 50),
        "concurrency", 3, "suspension", Map.of("maxFailures", 2))));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().get("id").asText();
    JsonNode ticket = waitForEnd(id, Duration.ofMinutes(3));

    assertThat(ticket.get("ticket").get("status").asText()).isEqualTo("COMPLETED");
    assertThat(ticket.get("ticket").get("succeeded").asInt()).isEqualTo(5);
    assertThat(ticket.get("ticket").get("failed").asInt()).isEqualTo(1);
    var hosts = byHostName(ticket);
    assertThat(hosts.get(down.name()).get("state").asText()).isEqualTo("FAILED");
    assertThat(hosts.get(down.name()).get("errorKind").asText()).isEqualTo("UNREACHABLE");
    assertThat(hosts.get(down.name()).get("errorMessage").asText()).contains("127.0.0.1:" + down.port());
    assertThat(api.get("/api/v1/hosts/" + hostIds.get(down.name())).json().get("lastError").get("kind").asText())
        .isEqualTo("UNREACHABLE");

    Map<String, String> expected = Map.of("missing-some", "NON_COMPLIANT", "patched", "COMPLIANT",
        "rejectable", "NON_COMPLIANT", "pending-reboot", "NON_COMPLIANT");
    for (LabFleet.Host h : fleet.hosts().stream().filter(h -> h.profile().equals("demo")).toList()) {
      if (h.equals(down)) {
        assertThat(api.get("/api/v1/hosts/" + hostIds.get(h.name()) + "/compliance").status()).isEqualTo(404);
        continue;
      }
      JsonNode report = api.get("/api/v1/hosts/" + hostIds.get(h.name()) + "/compliance").json();
      assertThat(report.get("status").asText()).as(h.intendedState()).isEqualTo(expected.get(h.intendedState()));
      assertThat(report.get("ticketId").asText()).isEqualTo(id);
    }
    JsonNode pending = api.get("/api/v1/hosts/" + hostIds.get(fleet.hostIn("demo", "pending-reboot").name())
        + "/compliance").json();
    assertThat(pending.get("countsByState").get("INSTALLED_PENDING_REBOOT").asInt()).isEqualTo(1);

    JsonNode summary = api.get("/api/v1/compliance/summary?groupBy=os").json();
    assertThat(summary.get("overall").get("hosts").asInt()).isEqualTo(6);
    assertThat(summary.get("overall").get("unknown").asInt()).as("the stopped host was never scanned").isEqualTo(1);
    assertThat(api.get("/api/v1/tickets?status=COMPLETED&operation=SCAN").json().get("total").asInt()).isGreaterThanOrEqualTo(1);
  }

  @Test
  @Order(2)
  void theStoppedHostCountsTowardTheThresholdAndTheRestIsNotRun() {
    List<Long> order = new ArrayList<>();
    order.add(hostIds.get(down.name()));
    hostIds.forEach((name, id) -> {
      if (!name.equals(down.name())) {
        order.add(id);
      }
    });
    var created = api.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN", "hostIds", order,
        "baselineId", baselineId, "batch", Map.of("strategy", "FIXED", "size", 1), "concurrency", 1,
        "suspension", Map.of("maxFailures", 1))));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode ticket = waitForEnd(created.json().get("id").asText(), Duration.ofMinutes(2));
    assertThat(ticket.get("ticket").get("status").asText()).isEqualTo("ABNORMAL");
    assertThat(ticket.get("ticket").get("failed").asInt()).isEqualTo(1);
    assertThat(ticket.get("ticket").get("notRun").asInt()).isEqualTo(5);
    assertThat(ticket.get("hosts")).filteredOn(h -> h.get("state").asText().equals("NOT_RUN"))
        .hasSize(5).allSatisfy(h -> assertThat(h.get("errorMessage").asText()).contains("suspension threshold"));
  }

  @Test
  @Order(3)
  void pauseHoldsTheTicketAndCancelEndsIt() {
    List<Long> up = hostIds.entrySet().stream().filter(e -> !e.getKey().equals(down.name())).map(Map.Entry::getValue)
        .toList();
    var created = api.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN", "hostIds", up,
        "baselineId", baselineId, "batch", Map.of("strategy", "FIXED", "size", 1), "concurrency", 1)));
    String id = created.json().get("id").asText();
    assertThat(api.post("/api/v1/tickets/" + id + "/pause", "").status()).isEqualTo(202);
    JsonNode paused = waitFor(id, t -> !t.get("live").isNull() && t.get("live").get("progress").get("paused").asBoolean()
        && t.get("ticket").get("status").asText().equals("PAUSED"), Duration.ofSeconds(30));
    assertThat(api.get("/api/v1/tickets?status=PAUSED").json().get("total").asInt()).as("listings show the pause")
        .isEqualTo(1);
    int done = paused.get("live").get("progress").get("succeeded").asInt();
    assertThat(done).as("at most the batch that was running when the pause came").isLessThanOrEqualTo(1);
    assertThat(api.post("/api/v1/tickets/" + id + "/cancel", "").status()).isEqualTo(202);
    JsonNode ended = waitForEnd(id, Duration.ofMinutes(1));
    assertThat(ended.get("ticket").get("status").asText()).isEqualTo("CANCELLED");
    assertThat(ended.get("ticket").get("succeeded").asInt() + ended.get("ticket").get("notRun").asInt()).isEqualTo(5);
    assertThat(api.post("/api/v1/tickets/" + id + "/resume", "").status()).as("an ended ticket takes no signal")
        .isEqualTo(409);
  }

  @Test
  @Order(4)
  void badTicketsAreRefusedWithEveryField() {
    var bad = api.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN", "hostIds", List.of(999999),
        "batch", Map.of("strategy", "AUTO"), "concurrency", 0, "suspension", Map.of("maxFailures", 1,
            "maxFailurePercent", 10))));
    assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
    List<String> fields = new ArrayList<>();
    bad.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
    assertThat(fields).contains("batch.tagKey", "concurrency", "suspension");
    // every lab OS has its built-in default since V20 (openEuler-default the newest): a scan of every
    // host needs no baseline. Previewed, so no scan runs; the refusal for an OS without a default is
    // TicketServiceTest's.
    var openEuler = api.post("/api/v1/tickets/preview", ApiClient.json(Map.of("operation", "SCAN", "selector",
        Map.of("osFamily", "OPENEULER"))));
    assertThat(openEuler.status()).as(openEuler.toString()).isEqualTo(200);
    assertThat(openEuler.json().get("hosts").asInt()).as("the demo fleet's openEuler hosts").isPositive();
    var everyHost = api.post("/api/v1/tickets/preview", "{\"operation\":\"SCAN\",\"selector\":{\"all\":true}}");
    assertThat(everyHost.status()).as(everyHost.toString()).isEqualTo(200);
    assertThat(everyHost.json().get("hosts").asInt()).isEqualTo(hostIds.size());
    assertThat(api.post("/api/v1/tickets", "{\"operation\":\"REPAIR\",\"selector\":{\"all\":true}}").status())
        .isEqualTo(400);
    assertThat(api.get("/api/v1/tickets/nope").status()).isEqualTo(404);
  }

  /**
   * The worker stops in the middle of a ticket, as in a crash (in-flight work interrupted), and a
   * new worker starts: the ticket waits while no worker runs, then finishes on the new one, with
   * every host's outcome recorded exactly once and every report from this ticket. The embedded
   * test server needs one stand-in here, {@link StickyQueueJanitor}; last in the class because the
   * platform's own worker stays stopped.
   */
  /**
   * A compliance tool's worst failure is a false COMPLIANT. The lab repro: a host's repository
   * points at a closed port and its cache is emptied. The scan fails METADATA_UNAVAILABLE and the
   * host keeps its NON_COMPLIANT report whole. With the cache kept but the repository still out of
   * reach, the old metadata does give a report, marked STALE_METADATA once it is older than
   * patchloop.scan.max-metadata-age (7 days).
   */
  @Test
  @Order(5)
  void aHostWhoseRepositoryIsGoneFailsClosedAndKeepsItsReport() {
    LabFleet.Host h = fleet.hostIn("demo", "missing-some");
    long hostId = hostIds.get(h.name());
    JsonNode before = api.get("/api/v1/hosts/" + hostId + "/compliance").json();
    assertThat(before.get("status").asText()).isEqualTo("NON_COMPLIANT");
    assertThat(before.get("warnings")).isEmpty();
    String repo = "/etc/yum.repos.d/patchloop-lab.repo";
    String breakRepo = "cp " + repo + " /root/lab.repo.saved && sed -i 's|^baseurl=.*|baseurl=http://127.0.0.1:9/|' " + repo;
    String restoreRepo = "cp /root/lab.repo.saved " + repo + " && dnf -q makecache";
    try {
      assertThat(fleet.ssh(h.index(), breakRepo + " && dnf -q clean all").ok()).isTrue();
      String id = platform.ticket(Map.of("operation", "SCAN", "hostIds", List.of(hostId), "baselineId", baselineId));
      JsonNode outcome = byHostName(waitForEnd(id, Duration.ofMinutes(2))).get(h.name());
      assertThat(outcome.get("state").asText()).isEqualTo("FAILED");
      assertThat(outcome.get("errorKind").asText()).isEqualTo("METADATA_UNAVAILABLE");
      assertThat(outcome.get("errorMessage").asText()).contains("lab-demo: no cached metadata")
          .contains("Failed to download metadata for repo 'lab-demo'");
      assertThat(api.get("/api/v1/hosts/" + hostId).json().get("lastError").get("kind").asText())
          .isEqualTo("METADATA_UNAVAILABLE");
      assertThat(api.get("/api/v1/hosts/" + hostId + "/compliance").json()).as("the previous report, whole")
          .isEqualTo(before);
    } finally {
      assertThat(fleet.ssh(h.index(), restoreRepo).ok()).isTrue();
    }

    try {
      // the repository out of reach again, its cached metadata kept, and nine days old
      assertThat(fleet.ssh(h.index(), breakRepo
          + " && touch -d '9 days ago' /var/cache/dnf/*/repodata/*").ok()).isTrue();
      String id = platform.ticket(Map.of("operation", "SCAN", "hostIds", List.of(hostId), "baselineId", baselineId));
      JsonNode outcome = byHostName(waitForEnd(id, Duration.ofMinutes(2))).get(h.name());
      assertThat(outcome.get("state").asText()).as(outcome.toString()).isEqualTo("SUCCEEDED");
      JsonNode stale = api.get("/api/v1/hosts/" + hostId + "/compliance").json();
      assertThat(stale.get("status").asText()).isEqualTo("NON_COMPLIANT");
      assertThat(stale.get("countsByState")).isEqualTo(before.get("countsByState"));
      assertThat(stale.get("warnings").toString()).isEqualTo("[\"STALE_METADATA\"]");
      assertThat(stale.get("metadataAgeSeconds").asLong()).isBetween(9 * 86_400L, 10 * 86_400L);
    } finally {
      assertThat(fleet.ssh(h.index(), restoreRepo).ok()).isTrue();
    }
  }

  /**
   * The platform's own MariaDB stops answering (SIGSTOP, as a hung or failing-over server) while a
   * ticket runs for 110 s, longer than a host step's three attempts would last on their own (30 s
   * for the pool to give up each time, 5 s and 10 s between): the steps wait and retry, no host
   * fails or counts toward the threshold, each host is worked on once (one SSH login each) and
   * recorded once (review M6).
   */
  @Test
  @Order(6)
  void aStalledDatabaseMidTicketFailsNoHostAndRedoesNoHostWork() throws Exception {
    List<LabFleet.Host> upHosts = fleet.hosts().stream().filter(h -> !h.equals(down)).toList();
    List<Long> up = upHosts.stream().map(h -> hostIds.get(h.name())).sorted().toList();
    Map<String, Long> loginsBefore = new HashMap<>();
    upHosts.forEach(h -> loginsBefore.put(h.name(), sshLogins(h)));
    String id = platform.ticket(Map.of("operation", "SCAN", "hostIds", up, "baselineId", baselineId,
        "batch", Map.of("strategy", "FIXED", "size", 1), "concurrency", 1, "suspension", Map.of("maxFailures", 1)));
    waitFor(id, t -> t.path("live").path("progress").path("succeeded").asInt() >= 1, Duration.ofMinutes(2));

    long database = platform.databasePid();
    new ProcessBuilder("kill", "-STOP", Long.toString(database)).inheritIO().start().waitFor();
    try {
      TimeUnit.SECONDS.sleep(110);
    } finally {
      new ProcessBuilder("kill", "-CONT", Long.toString(database)).inheritIO().start().waitFor();
    }

    assertCompletedWithEveryHostRecordedOnce(waitForEnd(id, Duration.ofMinutes(5)), id, up);
    for (LabFleet.Host h : upHosts) {
      assertThat(sshLogins(h) - loginsBefore.get(h.name())).as(h.name() + ": SSH logins for one scan").isEqualTo(1);
    }
  }

  /** The ticket COMPLETED, every host SUCCEEDED and is listed exactly once, and each host's report is the ticket's. */
  void assertCompletedWithEveryHostRecordedOnce(JsonNode t, String id, List<Long> hosts) {
    assertThat(t.get("ticket").get("status").asText()).as(t.toString()).isEqualTo("COMPLETED");
    assertThat(t.get("ticket").get("succeeded").asInt()).isEqualTo(hosts.size());
    assertThat(t.get("ticket").get("failed").asInt()).isZero();
    List<Long> recorded = new ArrayList<>();
    t.get("hosts").forEach(h -> {
      recorded.add(h.get("hostId").asLong());
      assertThat(h.get("state").asText()).as(h.toString()).isEqualTo("SUCCEEDED");
    });
    assertThat(recorded).as("each host exactly once").containsExactlyInAnyOrderElementsOf(hosts);
    for (Long host : hosts) {
      assertThat(platform.report(host).get("ticketId").asText()).isEqualTo(id);
    }
  }

  /** The host's sshd logs each accepted login to its console. */
  long sshLogins(LabFleet.Host h) {
    try (var lines = java.nio.file.Files.lines(fleet.labDir().resolve("hosts/" + h.index() + "/console.log"))) {
      return lines.filter(l -> l.startsWith("Accepted publickey")).count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  @Order(7)
  void aTicketOutlivesItsWorkerAndNoHostResultIsLostOrDoubled() throws Exception {
    ConfigurableApplicationContext context = platform.running.context();
    WorkflowClient client = context.getBean(WorkflowClient.class);
    WorkerFactory first = context.getBean(WorkerFactory.class);
    List<Long> up = hostIds.entrySet().stream().filter(e -> !e.getKey().equals(down.name())).map(Map.Entry::getValue)
        .sorted().toList();
    String id = platform.ticket(Map.of("operation", "SCAN", "hostIds", up, "baselineId", baselineId,
        "batch", Map.of("strategy", "FIXED", "size", 1), "concurrency", 1));
    waitFor(id, t -> t.path("live").path("progress").path("succeeded").asInt() >= 2, Duration.ofMinutes(2));

    first.shutdownNow();
    first.awaitTermination(30, TimeUnit.SECONDS);
    assertThat(first.isTerminated()).isTrue();
    String stickyQueue = StickyQueueJanitor.stickyQueueOf(first.getWorker(TaskQueues.TICKETS));
    // without a worker nothing moves: the records stand where they were
    JsonNode stopped = api.get("/api/v1/tickets/" + id).json().get("ticket");
    TimeUnit.SECONDS.sleep(5);
    JsonNode later = api.get("/api/v1/tickets/" + id).json().get("ticket");
    assertThat(later.get("status").asText()).isEqualTo("RUNNING");
    assertThat(later.get("succeeded").asInt()).isEqualTo(stopped.get("succeeded").asInt()).isLessThan(up.size());

    WorkerFactory second = newWorkerFactory(context, client);
    try (StickyQueueJanitor janitor = new StickyQueueJanitor(client, stickyQueue)) {
      second.start();
      assertCompletedWithEveryHostRecordedOnce(waitForEnd(id, Duration.ofMinutes(3)), id, up);
      assertThat(janitor.moved()).as("tasks left on the stopped worker's sticky queue").isPositive();
    } finally {
      second.shutdownNow();
      second.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  /**
   * The fleet views by CVE and by advisory agree with the hosts' own reports, as the tickets above
   * left them (real advisories and CVEs of the lab repositories): every CVE's and advisory's host
   * count per state equals the count of hosts whose report lists it in that state (a CVE: each host
   * once, in its least compliant state among the patches naming it), overall and for one zone. Reads
   * only through the API, so it runs after the worker swap above.
   */
  @Test
  @Order(8)
  void theCveAndAdvisoryViewsAgreeWithEveryHostsReport() {
    Map<String, JsonNode> reports = new HashMap<>();
    Map<String, String> zones = new HashMap<>();
    for (JsonNode host : api.get("/api/v1/hosts?size=500").json().get("items")) {
      var report = api.get("/api/v1/hosts/" + host.get("id").asLong() + "/compliance");
      if (report.status() == 200) {
        reports.put(host.get("name").asText(), report.json());
        zones.put(host.get("name").asText(), host.path("tags").path("zone").asText());
      }
    }
    assertThat(reports).hasSizeGreaterThanOrEqualTo(5);
    List<String> order = List.of("INSTALLED", "INSTALLED_OTHER", "INSTALLED_PENDING_REBOOT", "INSTALLED_REJECTED",
        "MISSING", "FAILED");
    for (String zone : List.of("", "az1")) {
      Map<String, Map<String, Integer>> cves = new java.util.TreeMap<>();
      Map<String, Map<String, Integer>> advisories = new java.util.TreeMap<>();
      reports.forEach((name, report) -> {
        if (!zone.isEmpty() && !zone.equals(zones.get(name))) {
          return;
        }
        Map<String, String> worst = new HashMap<>();
        for (JsonNode patch : report.get("patches")) {
          String state = patch.get("state").asText();
          advisories.computeIfAbsent(patch.get("advisoryId").asText(), k -> new java.util.TreeMap<>())
              .merge(state, 1, Integer::sum);
          patch.get("cves").forEach(cve -> worst.merge(cve.asText(), state,
              (a, b) -> order.indexOf(a) >= order.indexOf(b) ? a : b));
        }
        worst.forEach((cve, state) -> cves.computeIfAbsent(cve, k -> new java.util.TreeMap<>()).merge(state, 1, Integer::sum));
      });
      String filter = zone.isEmpty() ? "" : "&tag=zone:" + zone;
      assertThat(listed("/api/v1/cves?size=500" + filter, "cve")).as("CVEs " + filter).isEqualTo(cves);
      assertThat(listed("/api/v1/advisories?size=500" + filter, "advisoryId")).as("advisories " + filter)
          .isEqualTo(advisories);
      if (zone.isEmpty()) {
        assertThat(cves).as("the lab repositories' advisories name CVEs").isNotEmpty();
        String cve = cves.keySet().iterator().next();
        JsonNode one = api.get("/api/v1/cves/" + cve + "?size=500").json();
        long rows = reports.values().stream().flatMap(r -> java.util.stream.StreamSupport.stream(r.get("patches").spliterator(), false))
            .filter(p -> p.get("cves").toString().contains("\"" + cve + "\"")).count();
        assertThat(one.get("hosts").get("total").asLong()).as(cve + "'s host patches").isEqualTo(rows);
        assertThat(one.get("cve").get("advisories").size()).isPositive();
      }
    }
    assertThat(api.get("/api/v1/cves/not-a-cve").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/cves/CVE-1999-0001").status()).isEqualTo(404);
  }

  /** Subject id to its non-zero host counts by state, from every page of a view. */
  Map<String, Map<String, Integer>> listed(String path, String idField) {
    Map<String, Map<String, Integer>> out = new java.util.TreeMap<>();
    JsonNode page = api.get(path).json();
    assertThat(page.get("total").asInt()).as(path).isLessThanOrEqualTo(500);
    for (JsonNode item : page.get("items")) {
      Map<String, Integer> byState = new java.util.TreeMap<>();
      item.get("hostsByState").properties().forEach(e -> {
        if (e.getValue().asInt() != 0) {
          byState.put(e.getKey(), e.getValue().asInt());
        }
      });
      out.put(item.get(idField).asText(), byState);
    }
    return out;
  }

  /** A second worker like the platform's: the workflow types its configuration lists and every activity bean. */
  static WorkerFactory newWorkerFactory(ConfigurableApplicationContext context, WorkflowClient client) throws Exception {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(TaskQueues.TICKETS);
    for (int i = 0; ; i++) {
      String type = context.getEnvironment().getProperty("spring.temporal.workers[0].workflow-classes[" + i + "]");
      if (type == null) {
        break;
      }
      worker.registerWorkflowImplementationTypes(Class.forName(type));
    }
    worker.registerActivitiesImplementations(context.getBeansWithAnnotation(ActivityImpl.class).values().toArray());
    return factory;
  }
}
