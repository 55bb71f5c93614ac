package io.patchloop.standalone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.collect.CollectorCommands;
import io.patchloop.simulation.SimulatedHost;
import io.patchloop.simulation.SimulatedHostAccess;
import io.patchloop.standalone.StandaloneApplication;
import io.patchloop.testing.http.ApiClient;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.util.FileSystemUtils;

/**
 * SCAN tickets over a large simulated fleet ({@code patchloop.simulation.enabled}, zero latency): the
 * platform's own path from the ticket workflow to the stored reports, with only the host end
 * simulated ({@link SimulatedHostAccess}), so what is measured is the platform's cost per host.
 *
 * <p>Starts the standalone platform in this JVM (data dir under standalone/target, or /var/tmp when
 * that is under /tmp, which the embedded MariaDB refuses), registers {@code patchloop.bench.hosts}
 * (10,000) HCE hosts through the bulk import ({@code sim-NNNNNN.sim.invalid}, 5,000 a request), runs
 * an unmeasured ticket over the first host alone (it sends the simulated repository's updateinfo.xml,
 * which the advisory catalog keeps: every later scan takes it from the catalog by checksum), then a
 * warm-up ticket over the first {@code patchloop.bench.warmup} hosts (200; JIT, pools), then for each concurrency of
 * {@code patchloop.bench.concurrency} (50,200) one SCAN ticket over all hosts, batch NONE (one
 * batch with that concurrency), and measures: wall (ticket startedAt to finishedAt) and hosts per
 * second; the platform's CPU per host (this JVM's process CPU time plus the embedded MariaDB
 * process's, from /proc/PID/stat, as deltas; the simulated hosts' own work runs in this JVM and is
 * measured apart, per host, before the tickets, so it can be subtracted); peak heap (sum of the heap
 * pools' peaks, reset before each ticket); the history length in events of every run of the ticket
 * workflow and of its batch workflows (GetWorkflowExecutionHistory on the embedded Temporal,
 * continued-as-new runs followed back from the last one); database rows written per host
 * (Innodb_rows_inserted + updated + deleted, SHOW GLOBAL STATUS deltas; on MariaDB 10.11, which has
 * none of them, Handler_write + Handler_update + Handler_delete); and checks the ticket
 * COMPLETED with every host recorded once (ticket_hosts rows = N, distinct, all SUCCEEDED; N
 * reports of the ticket, distinct hosts) and, for a sample of hosts, that the report's advisories
 * are the simulated host's applicable ones.
 *
 * <p>Prints a Markdown table to stdout and writes it to {@code standalone/target/scale-benchmark.md}.
 * Not part of the normal suite:
 *
 * <pre>
 * ./mvnw -o -B -pl standalone -am test -Dtest=ScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dpatchloop.bench=scale -Dpatchloop.bench.hosts=300 -Dpatchloop.bench.concurrency=50
 * </pre>
 */
@EnabledIfSystemProperty(named = "patchloop.bench", matches = "scale")
class ScaleBenchmark {

  private static final int HOSTS = Integer.getInteger("patchloop.bench.hosts", 10_000);
  private static final int WARMUP = Integer.getInteger("patchloop.bench.warmup", 200);
  private static final int[] CONCURRENCY = Arrays.stream(System.getProperty("patchloop.bench.concurrency", "50,200")
      .split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
  private static final int IMPORT_ROWS = 5_000;
  private static final Duration TICKET_TIMEOUT = Duration.ofHours(3);
  private static final long CLOCK_TICKS = 100; // USER_HZ of /proc/PID/stat

  /** One measured ticket. */
  private record Result(int concurrency, String ticketId, String status, double wallSeconds, double cpuJvm,
      double cpuDb, long peakHeap, List<Long> ticketRuns, int batchWorkflows, List<Long> batchRuns, long rowsWritten,
      long reads, long probes) {}

  private final long start = System.nanoTime();

  @Test
  void scanTicketsOverTheSimulatedFleet() throws Exception {
    Path target = Path.of("target").toAbsolutePath();
    Path parent = target.startsWith("/tmp") ? Path.of("/var/tmp") : target;
    Path dataDir = Files.createTempDirectory(parent, "scale-bench-");
    List<String> args = new ArrayList<>(List.of("--patchloop.data-dir=" + dataDir,
        "--patchloop.standalone.db-port=" + freePort(), "--patchloop.standalone.temporal-port=" + freePort(),
        "--server.port=0", "--spring.main.banner-mode=off", "--logging.level.root=WARN",
        "--logging.level.io.patchloop.simulation=WARN", "--patchloop.simulation.enabled=true",
        "--patchloop.simulation.seed=1"));
    args.addAll(List.of(extraArgs()));
    StandaloneApplication.Running running = StandaloneApplication.start(args.toArray(String[]::new));
    try {
      run(running, dataDir);
    } finally {
      running.close();
      FileSystemUtils.deleteRecursively(dataDir);
    }
  }

  private void run(StandaloneApplication.Running running, Path dataDir) throws Exception {
    ApiClient api = new ApiClient("http://127.0.0.1:" + running.apiPort(),
        Files.readString(dataDir.resolve("admin-token")).strip());
    DataSource db = running.context().getBean(DataSource.class);
    SimulatedHostAccess simulation = running.context().getBean(SimulatedHostAccess.class);
    WorkflowServiceStubs temporal = running.context().getBean(WorkflowClient.class).getWorkflowServiceStubs();
    String namespace = running.context().getBean(WorkflowClient.class).getOptions().getNamespace();
    ProcessHandle mariadb = ProcessHandle.current().descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false))
        .findFirst().orElseThrow(() -> new IllegalStateException("no embedded MariaDB process among this JVM's children"));
    say("platform up on port %d; MariaDB pid %d; %d CPUs", running.apiPort(), mariadb.pid(),
        Runtime.getRuntime().availableProcessors());

    List<Long> ids = register(api);
    say("registered %d hosts", ids.size());
    double simulationCpuPerHost = simulationCost(simulation);
    say("the simulated hosts' own work (generating a host and its probe answer): %.2f ms CPU per host",
        simulationCpuPerHost * 1000);

    // one host first: it sends the updateinfo.xml and the catalog keeps it; a first ticket over many hosts
    // would have each of its first concurrent scans fetch and parse the file (see the report)
    long t = System.nanoTime();
    Ended first = waitForEnd(db, ticket(api, ids.subList(0, 1), 1));
    say("first host alone (fills the advisory catalog): %s in %.1f s", first.status(), seconds(System.nanoTime() - t));
    t = System.nanoTime();
    String warm = ticket(api, ids.subList(0, Math.min(WARMUP, ids.size())), 50);
    Ended warmEnd = waitForEnd(db, warm);
    say("warm-up ticket over %d hosts: %s in %.1f s; updateinfo reads so far: %d",
        Math.min(WARMUP, ids.size()), warmEnd.status(), seconds(System.nanoTime() - t),
        simulation.answered(CollectorCommands.Kind.READ_UPDATE_INFO));

    List<Result> results = new ArrayList<>();
    for (int concurrency : CONCURRENCY) {
      results.add(measure(api, db, simulation, temporal, namespace, mariadb, ids, concurrency));
    }
    String table = table(results, simulationCpuPerHost);
    System.out.println(table);
    Files.writeString(Path.of("target", "scale-benchmark.md"), table);
    for (Result r : results) {
      assertThat(r.status()).as("ticket " + r.ticketId()).isEqualTo("COMPLETED");
    }
  }

  private Result measure(ApiClient api, DataSource db, SimulatedHostAccess simulation, WorkflowServiceStubs temporal,
      String namespace, ProcessHandle mariadb, List<Long> ids, int concurrency) throws Exception {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    long rows0 = rowsWritten(db);
    double jvm0 = processCpu(ProcessHandle.current().pid());
    double db0 = processCpu(mariadb.pid());
    long reads0 = simulation.answered(CollectorCommands.Kind.READ_UPDATE_INFO);
    long probes0 = simulation.answered(CollectorCommands.Kind.PROBE);
    say("concurrency %d: ticket over %d hosts", concurrency, ids.size());
    String id = ticket(api, ids, concurrency);
    Ended end = waitForEnd(db, id);
    double jvm = processCpu(ProcessHandle.current().pid()) - jvm0;
    double dbCpu = processCpu(mariadb.pid()) - db0;
    long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    long rows = rowsWritten(db) - rows0;
    String status = end.status();
    double wall = end.wallSeconds();

    List<Long> ticketRuns = runs(temporal, namespace, id);
    Set<String> batchIds = new LinkedHashSet<>();
    for (String runId : runIds(temporal, namespace, id)) {
      history(temporal, namespace, id, runId).stream()
          .filter(e -> e.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)
          .map(HistoryEvent::getStartChildWorkflowExecutionInitiatedEventAttributes)
          .filter(child -> child.getWorkflowType().getName().startsWith("Batch")) // not the NotifyWorkflow
          .forEach(child -> batchIds.add(child.getWorkflowId()));
    }
    List<Long> batchRuns = new ArrayList<>();
    for (String batch : batchIds) {
      batchRuns.addAll(runs(temporal, namespace, batch));
    }
    check(db, simulation, id, ids);
    Result r = new Result(concurrency, id, status, wall, jvm, dbCpu, peakHeap, ticketRuns, batchIds.size(), batchRuns,
        rows, simulation.answered(CollectorCommands.Kind.READ_UPDATE_INFO) - reads0,
        simulation.answered(CollectorCommands.Kind.PROBE) - probes0);
    say("concurrency %d: %s in %.1f s (%.1f hosts/s), CPU %.1f s JVM + %.1f s MariaDB, peak heap %d MiB, %d rows,"
        + " ticket runs %s, %d batch workflows with runs %s", concurrency, status, wall, ids.size() / wall, jvm, dbCpu,
        peakHeap >> 20, rows, ticketRuns, batchIds.size(), batchRuns);
    return r;
  }

  /** Every host recorded once on the ticket and reported once by it; a sample's report as the simulated host says. */
  private static void check(DataSource db, SimulatedHostAccess simulation, String ticketId, List<Long> ids)
      throws SQLException {
    try (Connection c = db.getConnection()) {
      long[] hostRows = longs(c, "SELECT COUNT(*), COUNT(DISTINCT host_id), SUM(state = 'SUCCEEDED') FROM ticket_hosts"
          + " WHERE ticket_id = ?", ticketId);
      assertThat(hostRows).as("ticket_hosts rows, distinct hosts, succeeded").containsExactly(ids.size(), ids.size(),
          ids.size());
      long[] reports = longs(c, "SELECT COUNT(*), COUNT(DISTINCT host_id) FROM compliance_reports WHERE ticket_id = ?",
          ticketId);
      assertThat(reports).as("reports of the ticket, distinct hosts").containsExactly(ids.size(), ids.size());
      for (long hostId : List.of(ids.get(0), ids.get(ids.size() / 2), ids.get(ids.size() - 1))) {
        String address = strings(c, "SELECT address FROM hosts WHERE id = ?", hostId).get(0);
        SimulatedHost expected = simulation.fleet().host(address);
        List<String> advisories = strings(c, "SELECT DISTINCT advisory_id FROM report_patches WHERE host_id = ?", hostId);
        // the baseline decides which of them a report lists; none but the host's applicable ones
        assertThat(advisories).as("advisories reported for " + address).isNotEmpty()
            .isSubsetOf(expected.applicableAdvisoryIds());
      }
    }
  }

  private static long[] longs(Connection c, String sql, Object arg) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, arg);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        long[] out = new long[rs.getMetaData().getColumnCount()];
        for (int i = 0; i < out.length; i++) {
          out[i] = rs.getLong(i + 1);
        }
        return out;
      }
    }
  }

  private static List<String> strings(Connection c, String sql, Object arg) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, arg);
      try (ResultSet rs = s.executeQuery()) {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        return out;
      }
    }
  }

  private static long rowsWritten(DataSource db) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        // MariaDB 10.11 (the embedded one) no longer has Innodb_rows_inserted/updated/deleted; its row-level
        // handler counters count the same writes (temporary tables apart, in Handler_tmp_*)
        ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_rows_inserted',"
            + " 'Innodb_rows_updated', 'Innodb_rows_deleted', 'Handler_write', 'Handler_update', 'Handler_delete')")) {
      long innodb = 0;
      long handler = 0;
      boolean hasInnodb = false;
      while (rs.next()) {
        if (rs.getString(1).startsWith("Innodb")) {
          hasInnodb = true;
          innodb += rs.getLong(2);
        } else {
          handler += rs.getLong(2);
        }
      }
      return hasInnodb ? innodb : handler;
    }
  }

  /** utime + stime of a process, seconds (proc(5): fields 14 and 15, counted after the command's closing parenthesis). */
  private static double processCpu(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
  }

  /** The events of each run of a workflow, oldest run first: the last run, then back along continued-as-new. */
  private static List<Long> runs(WorkflowServiceStubs temporal, String namespace, String workflowId) {
    List<Long> events = new ArrayList<>();
    for (String runId : runIds(temporal, namespace, workflowId)) {
      events.add((long) history(temporal, namespace, workflowId, runId).size());
    }
    return events;
  }

  private static List<String> runIds(WorkflowServiceStubs temporal, String namespace, String workflowId) {
    List<String> runIds = new ArrayList<>();
    String runId = "";
    while (true) {
      List<HistoryEvent> h = history(temporal, namespace, workflowId, runId);
      String actual = runId;
      if (actual.isEmpty()) {
        // the latest run: its id is not in its own events; ask for the execution
        actual = temporal.blockingStub().describeWorkflowExecution(
            io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder().setNamespace(namespace)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
            .getWorkflowExecutionInfo().getExecution().getRunId();
      }
      runIds.add(0, actual);
      String previous = h.get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
      if (previous.isEmpty()) {
        return runIds;
      }
      runId = previous;
    }
  }

  private static List<HistoryEvent> history(WorkflowServiceStubs temporal, String namespace, String workflowId,
      String runId) {
    List<HistoryEvent> events = new ArrayList<>();
    com.google.protobuf.ByteString page = com.google.protobuf.ByteString.EMPTY;
    do {
      GetWorkflowExecutionHistoryResponse r = temporal.blockingStub().getWorkflowExecutionHistory(
          GetWorkflowExecutionHistoryRequest.newBuilder().setNamespace(namespace)
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
              .setNextPageToken(page).build());
      events.addAll(r.getHistory().getEventsList());
      page = r.getNextPageToken();
    } while (!page.isEmpty());
    return events;
  }

  /** CPU per host of the simulation's own part (a host generated, its probe answer rendered), measured on 200 hosts. */
  private static double simulationCost(SimulatedHostAccess simulation) {
    var threads = ManagementFactory.getThreadMXBean();
    long t0 = threads.getCurrentThreadCpuTime();
    int n = 200;
    long chars = 0;
    for (int i = 0; i < n; i++) {
      SimulatedHost h = simulation.fleet().host(address(HOSTS + i));
      chars += h.rpmQa().length();
    }
    return (threads.getCurrentThreadCpuTime() - t0) / 1e9 / n + (chars < 0 ? 1 : 0);
  }

  private List<Long> register(ApiClient api) {
    List<Long> ids = new ArrayList<>();
    for (int from = 0; from < HOSTS; from += IMPORT_ROWS) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = from; i < Math.min(HOSTS, from + IMPORT_ROWS); i++) {
        rows.add(Map.of("name", String.format(Locale.ROOT, "sim-%06d", i), "address", address(i), "port", 22,
            "keyPath", "/var/lib/patchloop/simulated-hosts-have-no-key", "osFamily", "HCE",
            "tags", Map.of("zone", "az" + i % 3)));
      }
      var imported = api.post("/api/v1/hosts/import", ApiClient.json(rows));
      assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
      imported.json().get("hosts").forEach(h -> ids.add(h.get("id").asLong()));
    }
    return ids;
  }

  private static String address(int i) {
    return String.format(Locale.ROOT, "sim-%06d.sim.invalid", i);
  }

  private static String ticket(ApiClient api, List<Long> hostIds, int concurrency) {
    var created = api.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN", "hostIds", hostIds,
        "batch", Map.of("strategy", "NONE"), "concurrency", concurrency)));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  /** A ended ticket as its row says: status, and the workflow's own start and finish. */
  private record Ended(String status, double wallSeconds) {}

  /** Polls the ticket's row (the API's ticket view lists every host, too heavy to poll with 10,000). */
  private static Ended waitForEnd(DataSource db, String ticketId) throws InterruptedException, SQLException {
    Instant deadline = Instant.now().plus(TICKET_TIMEOUT);
    while (true) {
      try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
          "SELECT status, TIMESTAMPDIFF(MICROSECOND, started_at, finished_at) FROM tickets WHERE id = ?")) {
        s.setString(1, ticketId);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          String status = rs.getString(1);
          if (List.of("COMPLETED", "ABNORMAL", "CANCELLED", "FAILED").contains(status)) {
            return new Ended(status, rs.getLong(2) / 1e6);
          }
          assertThat(Instant.now()).as("ticket " + ticketId + " still " + status).isBefore(deadline);
        }
      }
      Thread.sleep(250);
    }
  }

  private static String table(List<Result> results, double simulationCpuPerHost) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%n### Scale benchmark: SCAN tickets over %,d simulated hosts (zero latency)%n%n",
        HOSTS));
    b.append(String.format(Locale.ROOT, "%d CPUs; one batch (NONE) per ticket; the catalog was filled by a ticket over one host, then a warm-up ticket"
        + " over %d hosts; the simulated hosts' own work, %.2f ms CPU per host, is in the JVM column%n%n",
        Runtime.getRuntime().availableProcessors(), Math.min(WARMUP, HOSTS), simulationCpuPerHost * 1000));
    b.append("| concurrency | status | wall s | hosts/s | CPU ms/host (JVM + MariaDB) | peak heap MiB |"
        + " history events: ticket runs | batch workflows: runs (events) | rows written/host | updateinfo reads |\n");
    b.append("|---:|---|---:|---:|---:|---:|---|---|---:|---:|\n");
    for (Result r : results) {
      b.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %.1f | %.1f (%.1f + %.1f) | %d | %s | %d: %d runs (%s) | %.1f | %d |%n",
          r.concurrency(), r.status(), r.wallSeconds(), HOSTS / r.wallSeconds(), (r.cpuJvm() + r.cpuDb()) * 1000 / HOSTS,
          r.cpuJvm() * 1000 / HOSTS, r.cpuDb() * 1000 / HOSTS, r.peakHeap() >> 20, r.ticketRuns(), r.batchWorkflows(),
          r.batchRuns().size(), summary(r.batchRuns()), (double) r.rowsWritten() / HOSTS, r.reads()));
    }
    return b.toString();
  }

  private static String summary(List<Long> runs) {
    if (runs.size() <= 4) {
      return runs.toString();
    }
    return "max " + runs.stream().mapToLong(Long::longValue).max().orElse(0) + ", total "
        + runs.stream().mapToLong(Long::longValue).sum();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private void say(String format, Object... args) {
    Object[] all = new Object[args.length + 1];
    all[0] = seconds(System.nanoTime() - start);
    System.arraycopy(args, 0, all, 1, args.length);
    System.out.printf(Locale.ROOT, "[scale %7.1f s] " + format + "%n", all);
    System.out.flush();
  }

  /** Further platform settings for a run, space-separated in {@code patchloop.bench.args} (e.g. a pool size to try). */
  private static String[] extraArgs() {
    String args = System.getProperty("patchloop.bench.args", "").strip();
    return args.isEmpty() ? new String[0] : args.split("\\s+");
  }
}
