package io.patchloop.fleet;

import com.mysql.cj.jdbc.JdbcStatement;
import io.patchloop.testing.db.TestDatabase;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A fleet of hosts with reports, written straight into the report tables in bulk (LOAD DATA LOCAL
 * INFILE from memory, two connections), for benchmarks that need 100,000 hosts: writing 20 million
 * patch rows through ReportStore one host at a time would take hours. The rows have the shape a
 * scan writes (see ReportStore.write): the same JSON for CVEs and packages, report counts and
 * level counts that agree with the patches, os_family as the host's. The fleet counts are then
 * made by {@link FleetCounts#rebuild()}, the code path a migration's rebuild takes.
 *
 * <p>Deterministic (seeded, each host from its own seed): the same hosts count gives the same
 * rows. The fleet:
 * <ul>
 *   <li>a catalogue of 2,000 advisories issued over three years (2024-2026): 60% SECURITY
 *       (HCE2-SA-...), 30% BUGFIX (HCE2-BA-...), 10% ENHANCEMENT (HCE2-EA-...); security ones
 *       CRITICAL 10%, IMPORTANT 35%, MODERATE 40%, LOW 15%, with 1-4 CVEs of which about one in
 *       eight is shared with an earlier advisory (a CVE fixed by 2-3 advisories); 1-3 packages each;
 *   <li>hosts in four OS families (HCE 40%, CentOS 25%, EulerOS 15%, openEuler 20%) tagged
 *       zone:z0-z9, app:app00-app49, env:prod/staging/dev;
 *   <li>about 200 applicable advisories per host, drawn with a skew (advisory of popularity rank r
 *       applies with probability 0.95 e^(-r/150) + 0.03: the popular ones are on 95% of hosts);
 *   <li>2% of hosts never scanned (no report); 20% of the others compliant (INSTALLED, 3%
 *       INSTALLED_OTHER); the rest MISSING at a rate of 5-15% per host, 0.3% FAILED, 2% of reboot
 *       advisories INSTALLED_PENDING_REBOOT, 3% INSTALLED_OTHER, the rest INSTALLED.
 * </ul>
 *
 * <p>The database ({@code patchloop_fleet100k} for 100,000 hosts) is kept between runs: it is made
 * again only when absent, incomplete, or when asked ({@code regenerate}).
 */
final class ReportFleet {

  static final long SEED = 19;
  static final int ADVISORIES = 2_000;
  static final Instant SCANNED_AT = Instant.parse("2026-11-30T08:00:00Z");
  private static final int WORKERS = 2;
  private static final int HOSTS_PER_LOAD = 250;
  private static final String[] OS = {"HCE", "CENTOS", "EULEROS", "OPENEULER"};
  private static final String[] OS_RELEASE = {"Huawei Cloud EulerOS 2.0 (x86_64)", "CentOS Linux 7 (Core)",
      "EulerOS 2.0 (SP10)", "openEuler 22.03 (LTS-SP3)"};
  private static final String[] KERNEL = {"5.10.0-182.0.0.95.r1941_123.hce2.x86_64", "3.10.0-1160.119.1.el7.x86_64",
      "4.19.90-vhulk2211.3.0.h1543.eulerosv2r10.x86_64", "5.10.0-216.0.0.115.oe2203sp3.x86_64"};
  private static final String[] PACKAGES = {"openssl", "glibc", "kernel", "systemd", "curl", "bash", "sudo", "openssh",
      "python3", "vim", "bind", "nss", "expat", "libxml2", "sqlite", "zlib", "krb5", "polkit", "dbus", "libssh", "git",
      "perl", "tar", "gzip", "xz", "libtiff", "libpng", "freetype", "httpd", "nginx", "mariadb", "postgresql",
      "java-11-openjdk", "ca-certificates", "tzdata", "rsync", "cups", "samba", "less", "wget", "unzip", "grub2", "shim",
      "dnf", "rpm", "libgcrypt", "gnutls", "nettle", "pcre2", "libarchive", "file", "libX11", "ImageMagick", "emacs",
      "qemu", "libvirt", "docker-engine", "containerd", "runc", "golang", "nodejs", "ruby", "php", "squid", "dnsmasq",
      "NetworkManager", "firewalld", "iptables", "audit", "shadow-utils"};
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private ReportFleet() {}

  /** One advisory of the catalogue, with its rows' text ready: cves and packages JSON, installed and missing. */
  record CatalogAdvisory(String id, String severity, String category, Instant issued, boolean reboot, List<String> cves,
      String cvesJson, String installedJson, String missingJson, String level) {}

  /** The generated database and what is in it. */
  record Generated(TestDatabase.Database database, int hosts, long patchRows, List<CatalogAdvisory> catalog) {}

  static String databaseName(int hosts) {
    return "patchloop_fleet" + (hosts % 1000 == 0 ? hosts / 1000 + "k" : String.valueOf(hosts));
  }

  /** The fleet's database: reused when complete, otherwise (or when {@code regenerate}) made now. */
  static Generated ensure(int hosts, boolean regenerate) {
    List<CatalogAdvisory> catalog = catalog();
    TestDatabase.Database db = TestDatabase.kept(databaseName(hosts));
    try {
      Long rows = regenerate ? null : complete(db, hosts);
      if (rows != null) {
        System.out.printf(Locale.ROOT, "fleet: reusing %s (%,d hosts, %,d patch rows); -Dpatchloop.bench.regenerate=true"
            + " makes it again%n", db.name(), hosts, rows);
        return new Generated(db, hosts, rows, catalog);
      }
      TestDatabase.drop(db);
      db = TestDatabase.kept(databaseName(hosts));
      return new Generated(db, hosts, generate(db, hosts, catalog), catalog);
    } catch (SQLException e) {
      throw new IllegalStateException("generating the fleet in " + db.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The patch rows of a completely generated fleet of this size made with the migrations as they
   * are now (a migration edited since, as an unreleased one may be, makes it again; a new one is
   * applied by the application when it starts), or null.
   */
  private static Long complete(TestDatabase.Database db, int hosts) throws SQLException {
    boolean sameSchema = Flyway.configure().dataSource(db.url(), db.username(), db.password())
        .locations("classpath:db/migration").ignoreMigrationPatterns("*:pending").load().validateWithResult()
        .validationSuccessful;
    if (!sameSchema) {
      System.out.printf(Locale.ROOT, "fleet: %s was made with other migrations than these: made again%n", db.name());
      return null;
    }
    try (Connection c = connect(db); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT hosts, seed, patch_rows FROM bench_fleet_generated")) {
      return rs.next() && rs.getInt(1) == hosts && rs.getLong(2) == SEED ? rs.getLong(3) : null;
    } catch (SQLException absent) {
      return null;
    }
  }

  private static long generate(TestDatabase.Database db, int hosts, List<CatalogAdvisory> catalog) throws SQLException {
    HeapPeak heap = HeapPeak.start();
    long all = System.nanoTime();
    long t = System.nanoTime();
    Flyway.configure().dataSource(db.url(), db.username(), db.password()).locations("classpath:db/migration").load()
        .migrate();
    phase("schema (Flyway)", t);
    Map<String, Long> baselines = new HashMap<>();
    try (Connection c = connect(db); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT os, id FROM baselines WHERE built_in ORDER BY id")) {
        while (rs.next()) {
          baselines.putIfAbsent(rs.getString(1), rs.getLong(2));
        }
      }
      t = System.nanoTime();
      // hosts and tags: small next to the reports, one connection
      for (int from = 0; from < hosts; from += 5_000) {
        StringBuilder h = new StringBuilder();
        StringBuilder tags = new StringBuilder();
        for (int i = from; i < Math.min(hosts, from + 5_000); i++) {
          Host host = host(i);
          String created = TIME.format(SCANNED_AT.minusSeconds(400L * 86_400));
          h.append(i + 1).append('\t').append(host.name()).append('\t').append("10.").append(i >> 16 & 255).append('.')
              .append(i >> 8 & 255).append('.').append(i & 255).append("\t22\troot\t/keys/fleet\t").append(host.os())
              .append("\tECS\t").append(created).append('\t').append(created).append('\n');
          tags.append(i + 1).append("\tzone\t").append(host.zone()).append('\n');
          tags.append(i + 1).append("\tapp\t").append(host.app()).append('\n');
          tags.append(i + 1).append("\tenv\t").append(host.env()).append('\n');
        }
        load(c, "hosts", "id, name, address, port, username, key_path, os_family, scenario, created_at, updated_at", h);
        load(c, "host_tags", "host_id, tag_key, tag_value", tags);
      }
      phase("hosts and tags", t);
    }
    // the patch rows' secondary indexes are built once at the end, by sorting, not row by row
    t = System.nanoTime();
    List<String> indexes = secondaryIndexes(db, "report_patches");
    try (Connection c = connect(db); Statement st = c.createStatement()) {
      st.executeUpdate("ALTER TABLE report_patches " + String.join(", ",
          indexes.stream().map(d -> "DROP INDEX " + d.substring(0, d.indexOf(' '))).toList()));
    }
    AtomicLong patchRows = new AtomicLong();
    AtomicLong done = new AtomicLong();
    AtomicBoolean failed = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    List<Future<?>> work = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      int from = (int) ((long) hosts * w / WORKERS);
      int to = (int) ((long) hosts * (w + 1) / WORKERS);
      work.add(pool.submit(() -> {
        try (Connection c = connect(db)) {
          for (int start = from; start < to && !failed.get(); start += HOSTS_PER_LOAD) {
            patchRows.addAndGet(loadReports(c, start, Math.min(to, start + HOSTS_PER_LOAD), catalog, baselines));
            long n = done.addAndGet(Math.min(to, start + HOSTS_PER_LOAD) - start);
            if (n % 10_000 < HOSTS_PER_LOAD) {
              System.out.printf(Locale.ROOT, "fleet: %,d hosts' reports written, %.0f s%n", n, (System.nanoTime() - all) / 1e9);
            }
          }
        } catch (SQLException e) {
          failed.set(true);
          throw new IllegalStateException(e);
        }
        return null;
      }));
    }
    try {
      for (Future<?> f : work) {
        f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("writing reports: " + e.getMessage(), e);
    } finally {
      pool.shutdownNow();
    }
    phase(String.format(Locale.ROOT, "reports (%,d patch rows)", patchRows.get()), t);
    t = System.nanoTime();
    try (Connection c = connect(db); Statement st = c.createStatement()) {
      st.executeUpdate("ALTER TABLE report_patches " + String.join(", ", indexes.stream().map(d -> "ADD KEY " + d).toList()));
      phase("report_patches secondary indexes", t);
      t = System.nanoTime();
      for (String table : List.of("hosts", "host_tags", "compliance_reports", "report_patches", "report_level_counts")) {
        st.execute("ANALYZE TABLE " + table);
      }
      phase("analyze", t);
    }
    t = System.nanoTime();
    DriverManagerDataSource ds = new DriverManagerDataSource(db.url(), db.username(), db.password());
    int counted = new FleetCounts(JdbcClient.create(ds), new JdbcTemplate(ds), new DataSourceTransactionManager(ds))
        .rebuild();
    phase(String.format(Locale.ROOT, "FleetCounts.rebuild() (%,d reports)", counted), t);
    try (Connection c = connect(db); Statement st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE bench_fleet_generated (hosts INT NOT NULL, seed BIGINT NOT NULL,"
          + " patch_rows BIGINT NOT NULL, generated_at TIMESTAMP(3) NOT NULL)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_fleet_generated VALUES (?, ?, ?, NOW(3))")) {
        ps.setInt(1, hosts);
        ps.setLong(2, SEED);
        ps.setLong(3, patchRows.get());
        ps.executeUpdate();
      }
    }
    phase("whole generation", all);
    System.out.printf(Locale.ROOT, "fleet: generator's peak heap used %,d MB (max heap %,d MB)%n", heap.stop() >> 20,
        Runtime.getRuntime().maxMemory() >> 20);
    printSizes(db);
    return patchRows.get();
  }

  /** The report rows of hosts [from, to): compliance_reports, report_patches, report_level_counts. */
  private static long loadReports(Connection c, int from, int to, List<CatalogAdvisory> catalog,
      Map<String, Long> baselines) throws SQLException {
    double[] popularity = popularity();
    StringBuilder reports = new StringBuilder(256 * (to - from));
    StringBuilder patches = new StringBuilder(64 * 1024 * (to - from));
    StringBuilder levels = new StringBuilder(64 * (to - from));
    long rows = 0;
    for (int i = from; i < to; i++) {
      Host host = host(i);
      SplittableRandom r = new SplittableRandom(SEED * 1_000_003L + i * 7_919L + 1);
      if (r.nextDouble() < 0.02) {
        continue; // never scanned
      }
      boolean compliant = r.nextDouble() < 0.20;
      double missingRate = 0.05 + 0.10 * r.nextDouble();
      long hostId = i + 1;
      int[] byState = new int[6]; // INSTALLED, OTHER, PENDING_REBOOT, REJECTED, MISSING, FAILED
      Map<String, Integer> byStateLevel = new TreeMap<>();
      int firstApproved = -1;
      List<int[]> rowsOfHost = new ArrayList<>(220);
      for (int k = 0; k < catalog.size(); k++) {
        if (r.nextDouble() >= popularity[k]) {
          continue;
        }
        CatalogAdvisory a = catalog.get(k);
        double u = r.nextDouble();
        int state;
        if (compliant) {
          state = u < 0.03 ? 1 : 0;
        } else if (u < missingRate) {
          state = 4;
        } else if (u < missingRate + 0.003) {
          state = 5;
        } else if (a.reboot() && u < missingRate + 0.023) {
          state = 2;
        } else if (u < missingRate + 0.053) {
          state = 1;
        } else {
          state = 0;
        }
        if (firstApproved < 0 && state == 0) {
          firstApproved = rowsOfHost.size();
        }
        rowsOfHost.add(new int[] {k, state});
      }
      if (!compliant && rowsOfHost.stream().allMatch(p -> p[1] <= 1) && firstApproved >= 0) {
        rowsOfHost.get(firstApproved)[1] = 4; // a non-compliant host has something to repair
      }
      for (int[] p : rowsOfHost) {
        CatalogAdvisory a = catalog.get(p[0]);
        int state = p[1];
        String stateName = STATE_NAMES[state];
        String level = state == 1 ? null : a.level();
        byState[state]++;
        byStateLevel.merge(stateName + '\t' + (level == null ? "" : level), 1, Integer::sum);
        patches.append(hostId).append('\t').append(a.id()).append('\t').append(stateName).append('\t')
            .append(level == null ? "\\N" : level).append('\t').append(a.severity()).append('\t').append(a.category())
            .append('\t').append(TIME.format(a.issued())).append('\t').append(a.reboot() ? 1 : 0).append('\t')
            .append(a.cvesJson()).append('\t').append(state >= 4 ? a.missingJson() : a.installedJson()).append('\t')
            .append(state == 5 ? "dnf exited with 1: Error: Transaction test error: file conflicts with another package"
                : "\\N")
            .append('\n');
        rows++;
      }
      int os = host.osIndex();
      boolean isCompliant = byState[2] + byState[3] + byState[4] + byState[5] == 0;
      Instant scanned = SCANNED_AT.minusSeconds(r.nextLong(7L * 86_400));
      reports.append(hostId).append('\t').append(baselines.getOrDefault(OS[os], baselines.get("HCE"))).append("\t\\N\tSCAN\t")
          .append(TIME.format(scanned)).append('\t').append(isCompliant ? "COMPLIANT" : "NON_COMPLIANT").append('\t')
          .append(OS[os]).append('\t').append(isCompliant ? "COMPLIANT" : "NON_COMPLIANT").append('\t')
          .append(OS_RELEASE[os]).append('\t').append(KERNEL[os]);
      for (int s = 0; s < 6; s++) {
        reports.append('\t').append(byState[s]);
      }
      reports.append('\t').append(3_600 + r.nextInt(20_000)).append("\t\\N\n");
      byStateLevel.forEach((key, n) -> levels.append(hostId).append('\t').append(key).append('\t').append(n).append('\n'));
    }
    load(c, "compliance_reports", "host_id, baseline_id, ticket_id, operation, scanned_at, status, os_family,"
        + " previous_status, os_release, running_kernel, installed_count, installed_other_count, pending_reboot_count,"
        + " installed_rejected_count, missing_count, failed_count, metadata_age_seconds, warnings", reports);
    load(c, "report_patches", "host_id, advisory_id, state, compliance_level, severity, category, issued_at,"
        + " reboot_suggested, cves, packages, failure_message", patches);
    load(c, "report_level_counts", "host_id, state, compliance_level, patches", levels);
    return rows;
  }

  private static final String[] STATE_NAMES = {"INSTALLED", "INSTALLED_OTHER", "INSTALLED_PENDING_REBOOT",
      "INSTALLED_REJECTED", "MISSING", "FAILED"};

  record Host(String name, int osIndex, String zone, String app, String env) {
    String os() {
      return OS[osIndex];
    }
  }

  /** Host i (id i + 1): its own seed, so any range of hosts is made the same way by any worker. */
  static Host host(int i) {
    SplittableRandom r = new SplittableRandom(SEED * 31L + i * 104_729L);
    double u = r.nextDouble();
    int os = u < 0.40 ? 0 : u < 0.65 ? 1 : u < 0.80 ? 2 : 3;
    double e = r.nextDouble();
    return new Host(String.format(Locale.ROOT, "fleet-%06d", i + 1), os, "z" + r.nextInt(10),
        String.format(Locale.ROOT, "app%02d", r.nextInt(50)), e < 0.5 ? "prod" : e < 0.8 ? "staging" : "dev");
  }

  /** How likely each catalogue advisory is to apply to a host: a random rank, 0.95 e^(-rank/150) + 0.03. */
  static double[] popularity() {
    SplittableRandom r = new SplittableRandom(SEED + 2);
    int[] rank = new int[ADVISORIES];
    for (int i = 0; i < ADVISORIES; i++) {
      rank[i] = i;
    }
    for (int i = ADVISORIES - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int x = rank[i];
      rank[i] = rank[j];
      rank[j] = x;
    }
    double[] p = new double[ADVISORIES];
    for (int i = 0; i < ADVISORIES; i++) {
      p[i] = 0.95 * Math.exp(-rank[i] / 150.0) + 0.03;
    }
    return p;
  }

  /** The 2,000 advisories, in issue order. */
  static List<CatalogAdvisory> catalog() {
    SplittableRandom r = new SplittableRandom(SEED + 1);
    Instant start = Instant.parse("2024-01-01T00:00:00Z");
    long span = Instant.parse("2026-11-20T00:00:00Z").getEpochSecond() - start.getEpochSecond();
    long[] issued = new long[ADVISORIES];
    for (int i = 0; i < ADVISORIES; i++) {
      issued[i] = start.getEpochSecond() + r.nextLong(span) / 86_400 * 86_400;
    }
    java.util.Arrays.sort(issued);
    Map<String, Integer> sequence = new HashMap<>();
    List<CatalogAdvisory> out = new ArrayList<>(ADVISORIES);
    List<String> recentCves = new ArrayList<>();
    Map<String, Integer> cveUses = new HashMap<>();
    int cveNumber = 1000;
    for (int i = 0; i < ADVISORIES; i++) {
      Instant when = Instant.ofEpochSecond(issued[i]);
      int year = LocalDateTime.ofInstant(when, ZoneOffset.UTC).getYear();
      double c = r.nextDouble();
      String category = c < 0.6 ? "SECURITY" : c < 0.9 ? "BUGFIX" : "ENHANCEMENT";
      String kind = category.equals("SECURITY") ? "SA" : category.equals("BUGFIX") ? "BA" : "EA";
      int seq = sequence.merge(kind + year, 1, Integer::sum);
      String id = String.format(Locale.ROOT, "HCE2-%s-%d-%04d", kind, year, seq);
      String severity;
      List<String> cves = new ArrayList<>();
      if (category.equals("SECURITY")) {
        double s = r.nextDouble();
        severity = s < 0.10 ? "CRITICAL" : s < 0.45 ? "IMPORTANT" : s < 0.85 ? "MODERATE" : "LOW";
        double n = r.nextDouble();
        int count = n < 0.5 ? 1 : n < 0.75 ? 2 : n < 0.9 ? 3 : 4;
        for (int j = 0; j < count; j++) {
          String cve = null;
          if (r.nextDouble() < 0.125 && !recentCves.isEmpty()) {
            String candidate = recentCves.get(recentCves.size() - 1 - r.nextInt(Math.min(30, recentCves.size())));
            if (cveUses.get(candidate) < 3 && !cves.contains(candidate)) {
              cve = candidate;
            }
          }
          if (cve == null) {
            cve = String.format(Locale.ROOT, "CVE-%d-%d", year - (r.nextDouble() < 0.3 ? 1 : 0), cveNumber += 1 + r.nextInt(40));
            recentCves.add(cve);
          }
          cveUses.merge(cve, 1, Integer::sum);
          cves.add(cve);
        }
      } else {
        severity = r.nextDouble() < 0.7 ? "NONE" : "LOW";
      }
      String pkg = PACKAGES[r.nextInt(PACKAGES.length)];
      boolean reboot = pkg.equals("kernel") || pkg.equals("glibc") || pkg.equals("systemd") || r.nextDouble() < 0.03;
      int count = 1 + (r.nextDouble() < 0.5 ? 1 : 0) + (r.nextDouble() < 0.2 ? 1 : 0);
      String version = (1 + r.nextInt(5)) + "." + r.nextInt(20) + "." + r.nextInt(30);
      int release = 1 + r.nextInt(40);
      String epoch = r.nextDouble() < 0.3 ? "1:" : "";
      String[] names = {pkg, pkg + "-libs", pkg + "-devel"};
      StringBuilder installed = new StringBuilder("[");
      StringBuilder missing = new StringBuilder("[");
      for (int j = 0; j < count; j++) {
        String fixed = epoch + version + "-" + (release + 1) + ".hce2";
        String older = epoch + version + "-" + release + ".hce2";
        String sep = j == 0 ? "" : ",";
        String head = sep + "{\"name\":\"" + names[j] + "\",\"arch\":\"x86_64\",\"installed\":\"";
        installed.append(head).append(fixed).append("\",\"fixed\":\"").append(fixed).append("\"}");
        missing.append(head).append(older).append("\",\"fixed\":\"").append(fixed).append("\"}");
      }
      installed.append(']');
      missing.append(']');
      String level = switch (severity) {
        case "CRITICAL" -> "CRITICAL";
        case "IMPORTANT" -> "HIGH";
        case "MODERATE" -> "MEDIUM";
        case "LOW" -> "LOW";
        default -> "UNSPECIFIED";
      };
      String cvesJson = cves.isEmpty() ? "[]" : "[\"" + String.join("\",\"", cves) + "\"]";
      out.add(new CatalogAdvisory(id, severity, category, when, reboot, List.copyOf(cves), cvesJson, installed.toString(),
          missing.toString(), level));
    }
    return out;
  }

  private static void load(Connection c, String table, String columns, CharSequence tsv) throws SQLException {
    if (tsv.isEmpty()) {
      return;
    }
    try (Statement st = c.createStatement()) {
      st.unwrap(JdbcStatement.class).setLocalInfileInputStream(
          new ByteArrayInputStream(tsv.toString().getBytes(StandardCharsets.UTF_8)));
      st.executeUpdate("LOAD DATA LOCAL INFILE 'fleet.tsv' INTO TABLE " + table + " CHARACTER SET utf8mb4"
          + " FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (" + columns + ")");
    }
  }

  /** The table's secondary indexes as "name (col, col)", to drop and add again. */
  private static List<String> secondaryIndexes(TestDatabase.Database db, String table) throws SQLException {
    Map<String, List<String>> columns = new LinkedHashMap<>();
    try (Connection c = connect(db); PreparedStatement ps = c.prepareStatement("SELECT index_name, column_name, sub_part"
        + " FROM information_schema.statistics WHERE table_schema = ? AND table_name = ? AND index_name <> 'PRIMARY'"
        + " ORDER BY index_name, seq_in_index")) {
      ps.setString(1, db.name());
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
              .add(rs.getString(2) + (rs.getObject(3) == null ? "" : "(" + rs.getInt(3) + ")"));
        }
      }
    }
    return columns.entrySet().stream().map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")").toList();
  }

  static void printSizes(TestDatabase.Database db) throws SQLException {
    try (Connection c = connect(db); PreparedStatement ps = c.prepareStatement("SELECT table_name, table_rows,"
        + " data_length / 1048576, index_length / 1048576 FROM information_schema.tables WHERE table_schema = ?"
        + " ORDER BY data_length + index_length DESC LIMIT 12")) {
      ps.setString(1, db.name());
      System.out.println("| table | rows (estimate) | data MB | index MB |");
      System.out.println("|---|---|---|---|");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          System.out.printf(Locale.ROOT, "| %s | %,d | %,.0f | %,.0f |%n", rs.getString(1), rs.getLong(2), rs.getDouble(3),
              rs.getDouble(4));
        }
      }
    }
  }

  static Connection connect(TestDatabase.Database db) throws SQLException {
    Connection c = DriverManager.getConnection(db.url() + "&allowLoadLocalInfile=true", db.username(), db.password());
    try (Statement st = c.createStatement()) {
      // rows made consistent by construction; the keys are checked by the schema on every other write
      st.execute("SET SESSION foreign_key_checks = 0, unique_checks = 0");
    }
    return c;
  }

  private static void phase(String what, long startedNanos) {
    System.out.printf(Locale.ROOT, "fleet: %s: %.1f s%n", what, (System.nanoTime() - startedNanos) / 1e9);
  }

  /** The most heap used while it runs, sampled every 50 ms (garbage not yet collected included). */
  static final class HeapPeak {
    private final AtomicLong peak = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread sampler;

    private HeapPeak() {
      var memory = ManagementFactory.getMemoryMXBean();
      sampler = new Thread(() -> {
        while (running.get()) {
          peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-peak");
      sampler.setDaemon(true);
    }

    static HeapPeak start() {
      HeapPeak h = new HeapPeak();
      h.sampler.start();
      return h;
    }

    long stop() {
      running.set(false);
      sampler.interrupt();
      return peak.get();
    }
  }
}
