package io.patchloop.compliance.bench;

import io.patchloop.compliance.ComplianceEngine;
import io.patchloop.compliance.HostCompliance;
import io.patchloop.common.OsFamily;
import io.patchloop.fleet.FleetCounts;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.reports.ReportStore;
import io.patchloop.store.StoreTestApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What writing a host's report costs ({@code ReportStore.replace}, with the fleet counts' change
 * rows, in its transaction) and how large the report tables grow, for {@code
 * patchloop.bench.hosts} (1,000) of {@link EngineBenchmark}'s synthetic hosts: about 1,000 installed
 * packages and 1,400 applicable patches each under a 2,000-advisory catalog. Four passes over the
 * same hosts, each on {@code patchloop.bench.threads} (2) threads, the evaluation done beforehand
 * so only the write is timed: the first report of each host; the same report again (a fleet rescan
 * that finds nothing changed); a rescan where one package in 50 was updated; and, as the baseline
 * in the same run, the rescan written over an emptied report (every row written again, as a rescan
 * wrote it before writes were made incremental). Not part of the normal suite; run with
 * {@code -Dpatchloop.bench=report-writes}.
 */
@SpringBootTest(classes = StoreTestApplication.class, properties = "patchloop.fleet.fold-interval=2s")
@EnabledIfSystemProperty(named = "patchloop.bench", matches = "report-writes")
class ReportWriteBenchmark {

  static final int HOSTS = Integer.getInteger("patchloop.bench.hosts", 1_000);
  static final int THREADS = Integer.getInteger("patchloop.bench.threads", 2);
  static final Instant NOW = EngineBenchmark.NOW;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "reportwrites");
  }

  @Autowired ReportStore reports;
  @Autowired HostStore hosts;
  @Autowired FleetCounts counts;
  @Autowired JdbcClient jdbc;

  @Test
  void reportWrites() throws Exception {
    EngineBenchmark synthetic = new EngineBenchmark(HOSTS, 1_000, 2_000, 1);
    long baselineId = jdbc.sql("SELECT id FROM baselines WHERE name = 'HCE-default'").query(Long.class).single();
    long[] ids = new long[HOSTS];
    for (int h = 0; h < HOSTS; h++) {
      ids[h] = hosts.create(new HostSpec(String.format(Locale.ROOT, "bench-%05d", h), "10.9." + h / 250 + "." + (h % 250 + 1),
          null, null, "/keys/id_ed25519", null, OsFamily.HCE, null, Map.of())).id();
    }
    ComplianceEngine engine = new ComplianceEngine();
    IntFunction<Evaluated> first = h -> evaluate(engine, synthetic, synthetic.host(h));
    IntFunction<Evaluated> updated = h -> evaluate(engine, synthetic, withUpdates(synthetic.host(h)));

    List<String> table = new ArrayList<>();
    table.add("| pass | hosts | ms per host (median) | p95 | hosts/s on " + THREADS + " threads | rows written per host (all tables) |");
    table.add("|---|---|---|---|---|---|");
    long patches = 0;
    for (int h = 0; h < Math.min(HOSTS, 50); h++) {
      patches += first.apply(h).compliance().patches().size();
    }
    System.out.printf(Locale.ROOT, "report writes: %,d hosts, %.0f patches per host%n", HOSTS, patches / (double) Math.min(HOSTS, 50));
    table.add(pass("first report of each host", ids, first, baselineId, false));
    counts.fold();
    String sizes = sizes();
    table.add(pass("rescan, nothing changed", ids, first, baselineId, false));
    table.add(pass("rescan, one package in 50 updated", ids, updated, baselineId, false));
    table.add(pass("baseline: the rescan written whole over an emptied report", ids, updated, baselineId, true));
    counts.fold();
    String out = String.join("\n", table) + "\n\n" + sizes;
    System.out.println(out);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/report-write-benchmark.md"), out + "\n");
  }

  record Evaluated(HostInventory inventory, HostCompliance compliance) {}

  Evaluated evaluate(ComplianceEngine engine, EngineBenchmark synthetic, HostInventory inventory) {
    return new Evaluated(inventory, engine.evaluate(inventory, synthetic.baseline, NOW, java.util.Set.of()));
  }

  /** The host with one installed package in 50 at its newest release: a few patches change state. */
  static HostInventory withUpdates(HostInventory inv) {
    List<InstalledPackage> now = new ArrayList<>(inv.packages().size());
    for (int i = 0; i < inv.packages().size(); i++) {
      InstalledPackage p = inv.packages().get(i);
      now.add(i % 50 == 3 ? new InstalledPackage(p.name(), new io.patchloop.rpm.Evr(p.evr().epoch(), p.evr().version(),
          "6.hce2"), p.arch(), p.installedAt()) : p);
    }
    return new HostInventory(inv.osId(), inv.osVersion(), inv.product(), inv.runningKernel(), inv.bootTime(), now,
        inv.kernelPackageNames(), inv.advisories(), inv.needsRestarting(), inv.metadataAgeSeconds());
  }

  String pass(String name, long[] ids, IntFunction<Evaluated> report, long baselineId, boolean emptyFirst)
      throws Exception {
    long rowsBefore = rowsWritten();
    double[] millis = new double[ids.length];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long started = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      done.add(pool.submit(() -> {
        for (int h; (h = next.getAndIncrement()) < ids.length; ) {
          Evaluated e = report.apply(h);
          if (emptyFirst) {
            jdbc.sql("DELETE FROM compliance_reports WHERE host_id = ?").param(ids[h]).update();
          }
          long t0 = System.nanoTime();
          reports.replace(ids[h], baselineId, null, "SCAN", NOW, e.inventory(), e.compliance());
          millis[h] = (System.nanoTime() - t0) / 1e6;
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    double wall = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    long rows = rowsWritten() - rowsBefore;
    Arrays.sort(millis);
    return String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.0f | %.0f |", name, ids.length,
        millis[millis.length / 2], millis[(int) (millis.length * 0.95)], ids.length / wall, rows / (double) ids.length);
  }

  /**
   * Rows written, updated and deleted, server-wide (Handler_write, _update, _delete: MariaDB 10.11
   * has no Innodb_rows_*), so exact only when the benchmark is the server's only writer.
   */
  long rowsWritten() {
    return jdbc.sql("SELECT SUM(VARIABLE_VALUE) FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN"
        + " ('HANDLER_WRITE', 'HANDLER_UPDATE', 'HANDLER_DELETE')").query(Long.class).single();
  }

  String sizes() {
    for (String t : List.of("compliance_reports", "report_patches", "report_level_counts", "fleet_host_counts")) {
      jdbc.sql("ANALYZE TABLE " + t).query((rs, n) -> 0).list();
    }
    List<String> rows = new ArrayList<>();
    rows.add("| table | rows | data + indexes per 1,000 hosts |");
    rows.add("|---|---|---|");
    jdbc.sql("SELECT table_name, table_rows, data_length + index_length FROM information_schema.TABLES"
            + " WHERE table_schema = DATABASE() AND table_name IN ('compliance_reports', 'report_patches',"
            + " 'report_level_counts', 'fleet_host_counts') ORDER BY 3 DESC")
        .query((rs, n) -> rows.add(String.format(Locale.ROOT, "| %s | %,d | %.1f MB |", rs.getString(1), rs.getLong(2),
            rs.getLong(3) * 1000.0 / HOSTS / 1e6)))
        .list();
    return String.join("\n", rows);
  }
}
