package io.patchloop.fleet;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.patchloop.reports.ReportStore;
import io.patchloop.rpm.Evr;
import io.patchloop.testing.http.ApiClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * How long the fleet views by CVE and advisory take with {@code patchloop.bench.hosts} (100,000)
 * hosts' reports, about 200 patches each, beside the host list and the compliance summary measured
 * in the same run. The fleet is {@link ReportFleet}'s, generated once into {@code
 * patchloop_fleet100k} and kept between runs ({@code -Dpatchloop.bench.regenerate=true} makes it
 * again). Time is to the last byte over loopback, after warm-up, as a median and 95th percentile of
 * {@link #RUNS} requests each (fewer for a call slower than two seconds, as the table says). Then
 * the cost of a report write with the fleet counts: ReportStore.replace for a host of 200 patches,
 * and the fleet_count_changes rows each write appended. Not part of the normal suite; run it with
 * {@code -Dpatchloop.bench=fleet-views}.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EnabledIfSystemProperty(named = "patchloop.bench", matches = "fleet-views")
class FleetViewTimesBenchmark {

  static final int HOSTS = Integer.getInteger("patchloop.bench.hosts", 100_000);
  static final int WARM_UP = 5;
  static final int RUNS = 20;
  static final int WRITES = 20;

  static ReportFleet.Generated fleet;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    fleet = ReportFleet.ensure(HOSTS, Boolean.getBoolean("patchloop.bench.regenerate"));
    ApiTestProperties.register(registry, fleet.database(), ApiTestProperties.EVERY_ROLE);
    // the write measurement counts the change rows each write appends: nothing folds them meanwhile
    registry.add("patchloop.fleet.fold-interval", () -> "1h");
  }

  @LocalServerPort int port;
  @Autowired ReportStore reports;
  @Autowired BaselineStore baselines;
  @Autowired FleetCounts counts;
  @Autowired JdbcClient jdbc;
  @Autowired io.patchloop.reports.ComplianceHistoryStore history;

  @Test
  void fleetViewTimes() {
    ApiClient api = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.VIEWER);
    counts.fold();
    String popularCve = mostCommon("C");
    String popularAdvisory = mostCommon("A");
    long reportsCount = jdbc.sql("SELECT COUNT(*) FROM compliance_reports").query(Long.class).single();
    long cveHosts = jdbc.sql("SELECT SUM(hosts) FROM fleet_host_counts WHERE subject_kind = 'C' AND subject_id = ?")
        .param(popularCve).query(Long.class).single();
    long advisoryHosts = jdbc.sql("SELECT SUM(hosts) FROM fleet_host_counts WHERE subject_kind = 'A' AND subject_id = ?")
        .param(popularAdvisory).query(Long.class).single();
    System.out.printf(Locale.ROOT, "%n%,d hosts, %,d reports, %,d patch rows; %s on %,d hosts, %s on %,d hosts;"
            + " %d cores, MariaDB %s, innodb_buffer_pool_size %,d MB%n",
        fleet.hosts(), reportsCount, fleet.patchRows(), popularCve, cveHosts, popularAdvisory, advisoryHosts,
        Runtime.getRuntime().availableProcessors(), jdbc.sql("SELECT VERSION()").query(String.class).single(),
        jdbc.sql("SELECT @@innodb_buffer_pool_size").query(Long.class).single() >> 20);
    try {
      ReportFleet.printSizes(fleet.database());
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    // the JIT and the connection pool warmed on every call first, so the first row is not the one to pay
    for (int i = 0; i < WARM_UP; i++) {
      for (String path : List.of("/api/v1/cves?size=50", "/api/v1/cves/" + popularCve, "/api/v1/advisories?size=50",
          "/api/v1/advisories/" + popularAdvisory, "/api/v1/hosts?size=50", "/api/v1/compliance/summary")) {
        assertThat(api.get(path).status()).as(path).isEqualTo(200);
      }
    }
    System.out.println();
    System.out.println("| call | median | p95 | runs | bytes |");
    System.out.println("|---|---|---|---|---|");
    row("CVE list, page 1 of 50", api, "/api/v1/cves?size=50");
    row("CVE list, osFamily=HCE", api, "/api/v1/cves?size=50&osFamily=HCE");
    row("CVE list, severity=CRITICAL&state=MISSING", api, "/api/v1/cves?size=50&severity=CRITICAL&state=MISSING");
    row("one CVE (" + popularCve + ", " + cveHosts + " hosts), first 50 hosts", api, "/api/v1/cves/" + popularCve);
    row("one CVE, state=MISSING", api, "/api/v1/cves/" + popularCve + "?state=MISSING");
    String sharedCve = jdbc.sql("SELECT c.subject_id FROM fleet_host_counts c JOIN (SELECT cve_id FROM fleet_advisory_cves"
        + " GROUP BY cve_id HAVING COUNT(*) > 1) s ON s.cve_id = c.subject_id WHERE c.subject_kind = 'C'"
        + " GROUP BY c.subject_id ORDER BY SUM(c.hosts) DESC, c.subject_id LIMIT 1").query(String.class).single();
    row("one CVE of " + jdbc.sql("SELECT COUNT(*) FROM fleet_advisory_cves WHERE cve_id = ?").param(sharedCve)
        .query(Long.class).single() + " advisories (" + sharedCve + "), first 50", api, "/api/v1/cves/" + sharedCve);
    row("advisory list, page 1 of 50", api, "/api/v1/advisories?size=50");
    row("one advisory (" + popularAdvisory + ", " + advisoryHosts + " hosts), first 50 hosts", api,
        "/api/v1/advisories/" + popularAdvisory);
    row("one advisory, state=MISSING", api, "/api/v1/advisories/" + popularAdvisory + "?state=MISSING");
    row("hosts, page 1 of 50", api, "/api/v1/hosts?size=50");
    row("compliance summary", api, "/api/v1/compliance/summary");
    historyQueries(api);
    System.out.println();
    System.out.println("| CSV export | time | rows | bytes | live heap above the start while it streamed (after a GC every 250 ms) |");
    System.out.println("|---|---|---|---|---|");
    csv("every host", "/api/v1/hosts?format=csv");
    csv("one CVE's host patches (" + popularCve + ")", "/api/v1/cves/" + popularCve + "?format=csv");
    csv("the CVE list", "/api/v1/cves?format=csv");

    reportWrites(api);

    // last: the tag filter counts the report rows of the tagged hosts (2 million patch rows for a
    // tenth of 100,000 hosts), longer than patchloop.fleet.tag-filter-timeout on this machine: refused
    System.out.println();
    System.out.println("| call | time | runs |");
    System.out.println("|---|---|---|");
    System.out.printf(Locale.ROOT, "| CVE list, tag=zone:z3 (counts report rows) | %s | 1 |%n",
        once("/api/v1/cves?size=50&tag=zone:z3", Duration.ofMinutes(5)));
  }

  /**
   * Issue 20's calls at this size: the compliance summary (read from kept counts since V21), a page
   * of the host list with filters, and one host's report. Run alone with
   * {@code -Dtest=FleetViewTimesBenchmark#fleetScaleQueryTimes}.
   */
  @Test
  void fleetScaleQueryTimes() {
    ApiClient api = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.VIEWER);
    counts.fold();
    String popularAdvisory = mostCommon("A");
    // a host with the median number of patches
    long hostId = jdbc.sql("SELECT host_id FROM compliance_reports ORDER BY installed_count + installed_other_count"
        + " + pending_reboot_count + installed_rejected_count + missing_count + failed_count, host_id LIMIT 1 OFFSET ?")
        .param(jdbc.sql("SELECT COUNT(*) FROM compliance_reports").query(Long.class).single() / 2).query(Long.class).single();
    long patches = jdbc.sql("SELECT COUNT(*) FROM report_patches WHERE host_id = ?").param(hostId).query(Long.class).single();
    List<String[]> calls = List.of(
        new String[] {"compliance summary", "/api/v1/compliance/summary"},
        new String[] {"compliance summary, groupBy=os", "/api/v1/compliance/summary?groupBy=os"},
        new String[] {"compliance summary, groupBy=tag:zone (10 values)", "/api/v1/compliance/summary?groupBy=tag:zone"},
        new String[] {"compliance summary, groupBy=tag:app (50 values)", "/api/v1/compliance/summary?groupBy=tag:app"},
        new String[] {"hosts, page 1 of 50", "/api/v1/hosts?size=50"},
        new String[] {"hosts, osFamily=HCE&complianceStatus=NON_COMPLIANT", "/api/v1/hosts?size=50&osFamily=HCE&complianceStatus=NON_COMPLIANT"},
        new String[] {"hosts, tag=zone:z3&tag=env:prod", "/api/v1/hosts?size=50&tag=zone:z3&tag=env:prod"},
        new String[] {"hosts, missingAdvisory=" + popularAdvisory, "/api/v1/hosts?size=50&missingAdvisory=" + popularAdvisory},
        new String[] {"hosts, page 1,000 of 50", "/api/v1/hosts?size=50&page=1000"},
        new String[] {"one host's report (" + patches + " patches)", "/api/v1/hosts/" + hostId + "/compliance"});
    for (int i = 0; i < WARM_UP; i++) {
      for (String[] call : calls) {
        assertThat(api.get(call[1]).status()).as(call[1]).isEqualTo(200);
      }
    }
    System.out.println();
    System.out.println("| call | median | p95 | runs | bytes |");
    System.out.println("|---|---|---|---|---|");
    for (String[] call : calls) {
      row(call[0], api, call[1]);
    }
  }

  /**
   * 400 days of history: today's snapshot taken by the store (the workflow's own code, its time
   * printed), then copied to the 399 days before it, as a year of daily snapshots would leave them.
   */
  private void historyQueries(ApiClient api) {
    java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
    long t = System.nanoTime();
    int points = history.snapshot(today, Instant.now(), List.of("zone")).size();
    double snapshotSeconds = (System.nanoTime() - t) / 1e9;
    jdbc.sql("DELETE FROM compliance_history WHERE snapshot_day < ?").param(today).update();
    for (int back = 1; back < 400; back++) {
      jdbc.sql("INSERT INTO compliance_history SELECT DATE_SUB(snapshot_day, INTERVAL ? DAY), baseline_id, baseline_name,"
              + " group_kind, group_key, group_value, hosts, hosts_compliant, hosts_non_compliant, hosts_unknown,"
              + " patches_by_state, patches_by_level, taken_at FROM compliance_history WHERE snapshot_day = ?")
          .params(back, today).update();
    }
    long rows = jdbc.sql("SELECT COUNT(*) FROM compliance_history").query(Long.class).single();
    String all = "/api/v1/compliance/history?from=" + today.minusDays(399) + "&to=" + today;
    for (int i = 0; i < WARM_UP; i++) {
      api.get(all);
    }
    row("history, 400 days (one snapshot: " + points + " rows, taken in " + String.format(Locale.ROOT, "%.1f", snapshotSeconds)
        + " s; " + rows + " rows kept)", api, all);
    row("history, 400 days, groupBy=os", api, all + "&groupBy=os");
    row("history, 30 days, groupBy=tag:zone", api,
        "/api/v1/compliance/history?from=" + today.minusDays(29) + "&to=" + today + "&groupBy=tag:zone");
  }

  /**
   * Streams a CSV export to its end, counting rows and bytes: once for its time, once more while a
   * thread collects the garbage every 250 ms and notes how far the live heap stands above where it
   * stood before the request (this JVM runs the API too). A file held in memory whole would show at
   * least its own size there; a streamed one, the buffers in flight.
   */
  private void csv(String what, String path) {
    long[] timed = download(path);
    System.gc();
    java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
    long base = memory.getHeapMemoryUsage().getUsed();
    long[] peak = {0};
    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (running.get()) {
        System.gc();
        peak[0] = Math.max(peak[0], memory.getHeapMemoryUsage().getUsed() - base);
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.start();
    try {
      download(path);
    } finally {
      running.set(false);
    }
    System.out.printf(Locale.ROOT, "| %s | %.1f s | %,d | %,d | %.1f MB |%n", what, timed[0] / 1e9, timed[2] - 1, timed[1],
        peak[0] / 1048576.0);
  }

  /** Reads a response to its end: nanoseconds, bytes, lines. */
  private long[] download(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofMinutes(10)).header("Authorization", "Bearer " + ApiTestProperties.VIEWER).GET().build();
    long t = System.nanoTime();
    long bytes = 0;
    long lines = 0;
    try (java.io.InputStream in = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream()).body()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        bytes += n;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lines++;
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return new long[] {System.nanoTime() - t, bytes, lines};
  }

  /** One request with its own, longer timeout: its time, or that it took longer. */
  private String once(String path, Duration timeout) {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout)
        .header("Authorization", "Bearer " + ApiTestProperties.VIEWER).GET().build();
    long t = System.nanoTime();
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path + " " + r.body()).isIn(200, 400);
      return String.format(Locale.ROOT, "%.1f s (%d%s)", (System.nanoTime() - t) / 1e9, r.statusCode(),
          r.statusCode() == 400 ? ": refused at patchloop.fleet.tag-filter-timeout" : "");
    } catch (java.net.http.HttpTimeoutException e) {
      return "over " + timeout.toSeconds() + " s (timed out)";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * ReportStore.replace of a host with 200 of the catalogue's most common advisories: a rescan that
   * finds it as it was, and rescans that change 10 patches' states (MISSING and back in turn).
   */
  private void reportWrites(ApiClient api) {
    ApiClient admin = api.as(ApiTestProperties.ADMIN);
    var created = admin.post("/api/v1/hosts", ApiClient.json(Map.of("name", "bench-write-" + ProcessHandle.current().pid(),
        "address", "10.255.0.1", "port", 22, "keyPath", "/keys/lab", "osFamily", "HCE", "tags", Map.of("zone", "z3"))));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    long hostId = created.json().get("id").asLong();
    try {
      Baseline baseline = baselines.list(OsFamily.HCE).stream().filter(b -> b.name().equals("HCE-default")).findFirst()
          .orElseThrow();
      List<ReportFleet.CatalogAdvisory> chosen = commonAdvisories(200);
      ComplianceEngine engine = new ComplianceEngine();
      Instant at = ReportFleet.SCANNED_AT;
      HostInventory all = inventory(chosen, Set.of());
      // 10 approved advisories (Critical/Important security, issued over 7 days ago) not installed
      Set<String> ten = new java.util.HashSet<>(chosen.stream()
          .filter(a -> a.category().equals("SECURITY") && (a.severity().equals("CRITICAL") || a.severity().equals("IMPORTANT"))
              && a.issued().isBefore(at.minusSeconds(8 * 86_400L)))
          .map(ReportFleet.CatalogAdvisory::id).limit(10).toList());
      HostInventory tenMissing = inventory(chosen, ten);
      var allInstalled = engine.evaluate(all, baseline, at, Set.of());
      var someMissing = engine.evaluate(tenMissing, baseline, at, Set.of());
      reports.replace(hostId, baseline.id(), null, "SCAN", at, all, allInstalled);
      double[] same = new double[WRITES];
      long[] sameRows = new long[WRITES];
      double[] changed = new double[2 * WRITES];
      long[] changedRows = new long[2 * WRITES];
      for (int i = 0; i < WRITES; i++) {
        long before = changeRows();
        long t = System.nanoTime();
        reports.replace(hostId, baseline.id(), null, "SCAN", at, all, allInstalled);
        same[i] = (System.nanoTime() - t) / 1e6;
        sameRows[i] = changeRows() - before;
        for (int k = 0; k < 2; k++) {
          boolean toMissing = k == 0;
          before = changeRows();
          t = System.nanoTime();
          reports.replace(hostId, baseline.id(), null, "SCAN", at, toMissing ? tenMissing : all,
              toMissing ? someMissing : allInstalled);
          changed[2 * i + k] = (System.nanoTime() - t) / 1e6;
          changedRows[2 * i + k] = changeRows() - before;
        }
      }
      Arrays.sort(same);
      Arrays.sort(changed);
      System.out.println();
      System.out.println("| report write (ReportStore.replace, " + chosen.size() + " patches) | median | p95 |"
          + " fleet_count_changes rows |");
      System.out.println("|---|---|---|---|");
      System.out.printf(Locale.ROOT, "| rescan, nothing changed | %.1f ms | %.1f ms | %s |%n", same[WRITES / 2],
          same[(int) Math.ceil(WRITES * 0.95) - 1], range(sameRows));
      System.out.printf(Locale.ROOT, "| rescan, %d patches' states changed | %.1f ms | %.1f ms | %s |%n", ten.size(),
          changed[WRITES], changed[(int) Math.ceil(2 * WRITES * 0.95) - 1], range(changedRows));
    } finally {
      var deleted = admin.delete("/api/v1/hosts/" + hostId);
      assertThat(deleted.status()).as(deleted.toString()).isIn(200, 204);
      counts.fold();
    }
  }

  private long changeRows() {
    return jdbc.sql("SELECT COUNT(*) FROM fleet_count_changes").query(Long.class).single();
  }

  private static String range(long[] values) {
    long min = Arrays.stream(values).min().orElse(0);
    long max = Arrays.stream(values).max().orElse(0);
    return min == max ? String.valueOf(min) : min + "-" + max;
  }

  /** The catalogue's {@code n} advisories most hosts have. */
  private static List<ReportFleet.CatalogAdvisory> commonAdvisories(int n) {
    double[] p = ReportFleet.popularity();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < p.length; i++) {
      order.add(i);
    }
    order.sort((a, b) -> Double.compare(p[b], p[a]));
    return order.subList(0, n).stream().map(fleet.catalog()::get).toList();
  }

  /** One package per advisory, installed at the fixed version except for {@code missing}. */
  private static HostInventory inventory(List<ReportFleet.CatalogAdvisory> chosen, Set<String> missing) {
    Instant at = ReportFleet.SCANNED_AT;
    List<InstalledPackage> installed = new ArrayList<>();
    List<Advisory> advisories = new ArrayList<>();
    for (int j = 0; j < chosen.size(); j++) {
      ReportFleet.CatalogAdvisory a = chosen.get(j);
      String name = "pkg" + j;
      installed.add(new InstalledPackage(name, Evr.parse(missing.contains(a.id()) ? "1.0-1" : "1.0-2"), "x86_64",
          at.minusSeconds(86_400)));
      advisories.add(new Advisory(a.id(), name, a.category().toLowerCase(Locale.ROOT), PatchCategory.valueOf(a.category()),
          PatchSeverity.valueOf(a.severity()), a.issued(), List.of(new AdvisoryPackage(name, Evr.parse("1.0-2"), "x86_64")),
          a.cves(), a.reboot()));
    }
    return new HostInventory("hce", "2.0", "HCE 2.0", "5.10.0-1.hce2.x86_64", at.minusSeconds(86_400), installed, Set.of(),
        advisories, false, 60L);
  }

  record Timing(double median, double p95, int runs, int bytes) {}

  private static void row(String call, ApiClient api, String path) {
    Supplier<ApiClient.Response> request = () -> api.get(path);
    long first = System.nanoTime();
    ApiClient.Response r = request.get();
    double firstMs = (System.nanoTime() - first) / 1e6;
    if (r.status() != 200) {
      throw new AssertionError("not 200: " + r.status() + " " + path + "\n" + r.body());
    }
    // a call of several seconds (the tag filter counts report rows) is timed fewer times, and says so
    boolean slow = firstMs > 2_000;
    int warmUp = slow ? 0 : WARM_UP - 1;
    int runs = firstMs > 10_000 ? 3 : slow ? 5 : RUNS;
    for (int i = 0; i < warmUp; i++) {
      request.get();
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      request.get();
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %d | %,d |%n", call, ms[runs / 2],
        ms[(int) Math.ceil(runs * 0.95) - 1], runs, r.body().length());
  }

  /** The subject of the kind (C: a CVE, A: an advisory) on the most hosts. */
  private String mostCommon(String kind) {
    return jdbc.sql("SELECT subject_id FROM fleet_host_counts WHERE subject_kind = ?"
        + " GROUP BY subject_id ORDER BY SUM(hosts) DESC, subject_id LIMIT 1").param(kind).query(String.class).single();
  }
}
