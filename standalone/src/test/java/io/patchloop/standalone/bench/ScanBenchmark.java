package io.patchloop.standalone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.patchloop.collect.RpmCollector;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.HostTarget;
import io.patchloop.hostaccess.SshHostAccess;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostStore;
import io.patchloop.hosts.HostTargets;
import io.patchloop.inventory.HostInventory;
import io.patchloop.standalone.StandaloneApplication;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.lab.LabFleet;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * How much a SCAN ticket costs beyond the host work it orchestrates, on a real lab fleet.
 *
 * <p>Brings up {@code bench.hosts} (20) demo hosts with {@code infra/testhosts/lab} (own LAB_DIR
 * and ports), starts the standalone platform in this JVM on free ports with a data dir under
 * {@code standalone/target/}, registers the hosts through the API and then measures, in the same run:
 *
 * <ul>
 *   <li>a <b>baseline</b>: per host, the host work alone, with the platform's own beans but no
 *       Temporal, no ticket and no database writes: {@code SshHostAccess.open} + {@code
 *       RpmCollector.collect} + close, one host at a time. Two passes before the tickets and one
 *       after; each host's time is its median over the three passes;
 *   <li>for each concurrency ({@code bench.concurrency}, 1,5,10,20): {@code bench.runs} (3) SCAN
 *       tickets over all hosts (batch NONE), rounds interleaved (1,5,10,20, 1,5,10,20, ...) so a
 *       noisy spell on the shared machine does not hit one concurrency only. Medians are printed.
 * </ul>
 *
 * <p>Figures per ticket: the ticket wall time (finishedAt - startedAt as the workflow recorded it),
 * the client wall time (POST to the first GET that shows it finished, polled every 200 ms), the
 * per-host activity durations (ticket_hosts finishedAt - startedAt: scheduled by the workflow to
 * completion seen by the workflow), and
 *
 * <ul>
 *   <li>wall / sum(baseline): 1/concurrency would be perfect parallelism with no overhead;
 *   <li>wall / max(baseline): 1 would mean the ticket took no longer than its slowest host alone;
 *   <li>overhead per host = (wall x concurrency - sum(baseline)) / hosts: the ticket holds
 *       {@code concurrency} slots for {@code wall}; the host work needs sum(baseline) slot-time; the
 *       rest, per host, is slot-time spent on anything but host work (Temporal round trips, DB
 *       writes, evaluation, idle slots while the last hosts finish, and commands slowed down by
 *       sharing the CPU with their neighbours);
 *   <li>mean activity - mean baseline: the time one host's activity spends outside the bare host
 *       command (task dispatch, DB reads and writes, evaluation; and, above concurrency 1, the
 *       slow-down of running beside other scans on the same cores).
 * </ul>
 *
 * <p>It also samples CPU seconds around each pass and ticket: machine-wide busy time from
 * /proc/stat (the hosts' sshd and dnf included, and whatever else runs on the machine) and the
 * platform's own (this JVM plus the embedded MariaDB). On 2 cores the scans themselves saturate the
 * CPU from concurrency 5 on, which is what the overhead figures then mostly show.
 *
 * <p>Run as root from the repository root (the classes dir must come before the dependencies, or
 * the api jar's application.yaml shadows the standalone one):
 *
 * <pre>
 * ./mvnw -q -B -pl standalone -am install -Dmaven.test.skip=true
 * ./mvnw -q -B -pl standalone test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
 * java -cp "standalone/target/test-classes:standalone/target/classes:$(cat standalone/target/classpath.txt)" \
 *     io.patchloop.standalone.bench.ScanBenchmark
 * </pre>
 *
 * <p>Everything it starts is stopped in finally blocks (and by a shutdown hook on Ctrl-C): the
 * platform, then {@code lab down}. System properties: {@code bench.hosts}, {@code
 * bench.concurrency}, {@code bench.runs}, {@code bench.labDir} (/var/tmp/pl-bench), {@code
 * bench.portBase} (2600), {@code bench.repoPort} (8495), {@code bench.keepData} (false).
 */
public final class ScanBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path LAB_SCRIPT = Path.of("infra", "testhosts", "lab");
  private static final Duration TICKET_TIMEOUT = Duration.ofMinutes(15);
  private static final long POLL_MS = 200;

  private final int hostCount = Integer.getInteger("bench.hosts", 20);
  private final int[] concurrencies = Arrays.stream(System.getProperty("bench.concurrency", "1,5,10,20").split(","))
      .map(String::strip).mapToInt(Integer::parseInt).toArray();
  private final int runs = Integer.getInteger("bench.runs", 3);
  private final Path labDir = Path.of(System.getProperty("bench.labDir", "/var/tmp/pl-bench"));
  private final int portBase = Integer.getInteger("bench.portBase", 2600);
  private final int repoPort = Integer.getInteger("bench.repoPort", 8495);
  private final boolean keepData = Boolean.getBoolean("bench.keepData");

  private final long startNanos = System.nanoTime();
  private Path script;
  private Path repoRoot;
  private final AtomicBoolean labUp = new AtomicBoolean();
  private final AtomicReference<StandaloneApplication.Running> platform = new AtomicReference<>();

  /** One host of the fleet as registered. */
  private record BenchHost(long id, String name, int port, String osFamily, String state) {}

  /** One direct (no ticket) measurement of one host. */
  private record Direct(long connectNanos, long collectNanos, long totalNanos, int packages, int advisories) {}

  /**
   * CPU seconds used so far: the whole machine (busy time of all CPUs, /proc/stat: everything, the
   * lab hosts' sshd and dnf and whatever else runs on the machine) and the platform (this JVM and its
   * child processes, i.e. the embedded MariaDB).
   */
  private record Cpu(double machine, double platform) {
    Cpu minus(Cpu before) {
      return new Cpu(machine - before.machine, platform - before.platform);
    }
  }

  /** One direct pass over all hosts, with the CPU it cost. */
  private record Pass(Map<Long, Direct> hosts, Cpu cpu) {}

  /** One finished ticket. */
  private record TicketRun(int concurrency, int round, String id, String status, int failed, double ticketWall,
      double clientWall, List<Double> hostDurations, List<String> errors, Cpu cpu) {
    double meanActivity() {
      return hostDurations.stream().mapToDouble(d -> d).average().orElse(Double.NaN);
    }

    double maxActivity() {
      return hostDurations.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
    }
  }

  public static void main(String[] args) {
    int rc = 1;
    try {
      new ScanBenchmark().run();
      rc = 0;
    } catch (Throwable t) {
      System.out.println();
      System.out.println("BENCHMARK FAILED: " + t);
      t.printStackTrace(System.out);
    }
    System.out.flush();
    // Temporal and Spring leave non-daemon threads behind; everything was closed above
    System.exit(rc);
  }

  private void run() throws Exception {
    script = LabFleet.findScript().orElseThrow(() -> new IllegalStateException(
        LAB_SCRIPT + " not found in " + Path.of("").toAbsolutePath() + " or a parent; run from the repository"));
    repoRoot = script.getParent().getParent().getParent();
    Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUpQuietly, "scan-benchmark-cleanup"));
    say("scan benchmark: %d demo hosts, concurrency %s, %d runs each; lab %s ports %d+N repo %d",
        hostCount, Arrays.toString(concurrencies), runs, labDir, portBase, repoPort);

    Path dataDir = null;
    try {
      if (Files.exists(labDir)) {
        say("a fleet from an earlier run is in %s: lab down first", labDir);
        lab(Duration.ofMinutes(2), "down");
      }
      labUp.set(true);
      long t = System.nanoTime();
      LabFleet.Result up = lab(Duration.ofMinutes(10), "up", Integer.toString(hostCount), "--profile", "demo");
      if (up.exitCode() != 0) {
        throw new IllegalStateException("lab up failed (exit " + up.exitCode() + "):\n" + up.stdout() + up.stderr());
      }
      double labSeconds = seconds(System.nanoTime() - t);
      JsonNode fleet = JSON.readTree(requireOk(lab(Duration.ofMinutes(1), "list", "--json"), "lab list --json"));
      String keyPath = requireOk(lab(Duration.ofMinutes(1), "key"), "lab key").strip();
      say("lab up %d hosts in %.1f s, key %s", fleet.size(), labSeconds, keyPath);

      Path target = repoRoot.resolve("standalone").resolve("target");
      Files.createDirectories(target);
      dataDir = Files.createTempDirectory(target, "bench-data-");
      t = System.nanoTime();
      StandaloneApplication.Running running = StandaloneApplication.start(
          "--patchloop.data-dir=" + dataDir,
          "--patchloop.standalone.db-port=" + freePort(),
          "--patchloop.standalone.temporal-port=" + freePort(),
          "--server.port=0",
          "--spring.main.banner-mode=off",
          "--logging.level.root=WARN");
      platform.set(running);
      say("platform up in %.1f s on port %d, data dir %s", seconds(System.nanoTime() - t), running.apiPort(), dataDir);
      say("platform child processes (counted in its CPU): %s", ProcessHandle.current().descendants()
          .map(p -> p.pid() + " " + p.info().command().map(cmd -> Path.of(cmd).getFileName().toString()).orElse("?"))
          .toList());
      try {
        measure(running, dataDir, fleet, keyPath, labSeconds);
      } finally {
        closePlatform();
      }
    } finally {
      labDown();
      if (dataDir != null && !keepData) {
        FileSystemUtils.deleteRecursively(dataDir);
      }
      say("total run time %.1f s", seconds(System.nanoTime() - startNanos));
    }
  }

  private void measure(StandaloneApplication.Running running, Path dataDir, JsonNode fleet, String keyPath,
      double labSeconds) throws Exception {
    String token = Files.readString(dataDir.resolve("admin-token")).strip();
    ApiClient api = new ApiClient("http://127.0.0.1:" + running.apiPort(), token);

    // the demo fleet has openEuler hosts; the built-in baselines cover HCE, CentOS and EulerOS only
    if (api.get("/api/v1/baselines?os=OPENEULER").json().isEmpty()) {
      var b = api.post("/api/v1/baselines", ApiClient.json(Map.of("name", "bench-openeuler", "os", "OPENEULER",
          "rules", List.of(Map.of("categories", List.of("SECURITY"), "approveAfterDays", 0,
              "complianceLevel", "CRITICAL")))));
      require(b.status() == 201, "creating the OPENEULER baseline: " + b);
    }

    List<Map<String, Object>> rows = new ArrayList<>();
    for (JsonNode h : fleet) {
      rows.add(Map.of("name", h.get("name").asText(), "address", h.get("address").asText(), "port",
          h.get("port").asInt(), "keyPath", keyPath, "osFamily", h.get("osFamily").asText(), "tags",
          Map.of("profile", h.get("profile").asText(), "state", h.get("intendedState").asText())));
    }
    var imported = api.post("/api/v1/hosts/import", ApiClient.json(rows));
    require(imported.status() == 200 || imported.status() == 201, "host import: " + imported);
    List<BenchHost> hosts = new ArrayList<>();
    for (JsonNode h : imported.json().get("hosts")) {
      hosts.add(new BenchHost(h.get("id").asLong(), h.get("name").asText(), h.get("port").asInt(),
          h.get("osFamily").asText(), h.get("tags").path("state").asText()));
    }
    require(hosts.size() == hostCount, "imported " + hosts.size() + " hosts, not " + hostCount);
    List<Long> ids = hosts.stream().map(BenchHost::id).toList();
    say("registered %d hosts (ids %d..%d)", hosts.size(), ids.get(0), ids.get(ids.size() - 1));

    ConfigurableApplicationContext ctx = running.context();
    HostStore hostStore = ctx.getBean(HostStore.class);
    HostTargets targets = ctx.getBean(HostTargets.class);
    SshHostAccess access = ctx.getBean(SshHostAccess.class);
    RpmCollector collector = ctx.getBean(RpmCollector.class);

    // warm-up: one small ticket (JIT, Temporal, pools) and one unmeasured direct pass (dnf caches on every host)
    List<Long> few = ids.subList(0, Math.min(3, ids.size()));
    TicketRun warm = ticket(api, few, few.size(), 0);
    say("warm-up ticket over %d hosts: %s in %.2f s (client %.2f s)%s", few.size(), warm.status(), warm.ticketWall(),
        warm.clientWall(), warm.errors().isEmpty() ? "" : " errors " + warm.errors());
    require(warm.status().equals("COMPLETED") && warm.failed() == 0,
        "the warm-up ticket did not complete cleanly: " + warm.status() + " " + warm.errors());
    directPass(hosts, hostStore, targets, access, collector, "warm-up (discarded)");

    List<Pass> passes = new ArrayList<>();
    passes.add(directPass(hosts, hostStore, targets, access, collector, "baseline pass 1"));
    passes.add(directPass(hosts, hostStore, targets, access, collector, "baseline pass 2"));

    Map<Integer, List<TicketRun>> byConcurrency = new LinkedHashMap<>();
    for (int c : concurrencies) {
      byConcurrency.put(c, new ArrayList<>());
    }
    for (int round = 1; round <= runs; round++) {
      for (int c : concurrencies) {
        TicketRun r = ticket(api, ids, c, round);
        byConcurrency.get(c).add(r);
        say("c=%-3d run %d: %s %s ticket wall %.2f s, client wall %.2f s, mean activity %.3f s, max %.3f s%s",
            c, round, r.id(), r.status(), r.ticketWall(), r.clientWall(), r.meanActivity(), r.maxActivity(),
            r.failed() == 0 ? "" : ", FAILED hosts " + r.failed() + " " + r.errors());
      }
    }
    passes.add(directPass(hosts, hostStore, targets, access, collector, "baseline pass 3 (after the tickets)"));

    report(hosts, passes, byConcurrency, labSeconds);
  }

  // ------------------------------------------------------------------ baseline

  private Pass directPass(List<BenchHost> hosts, HostStore hostStore, HostTargets targets,
      SshHostAccess access, RpmCollector collector, String label) {
    Map<Long, Direct> pass = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    Cpu cpu0 = cpu();
    for (BenchHost bh : hosts) {
      Host host = hostStore.get(bh.id());
      HostTarget target = targets.of(host);
      long a = System.nanoTime();
      long b;
      long c;
      HostInventory inventory;
      try (HostSession session = access.open(target)) {
        b = System.nanoTime();
        inventory = collector.collect(session, io.patchloop.workflows.scan.MetadataRefresh.AUTO);
        c = System.nanoTime();
      }
      long d = System.nanoTime();
      pass.put(bh.id(), new Direct(b - a, c - b, d - a, inventory.packages().size(), inventory.advisories().size()));
    }
    Cpu used = cpu().minus(cpu0);
    double sum = pass.values().stream().mapToDouble(x -> seconds(x.totalNanos())).sum();
    double max = pass.values().stream().mapToDouble(x -> seconds(x.totalNanos())).max().orElse(0);
    say("%s: sum %.2f s, max %.3f s, pass took %.1f s; CPU machine %.1f s, platform %.1f s", label, sum, max,
        seconds(System.nanoTime() - t0), used.machine(), used.platform());
    return new Pass(pass, used);
  }

  // ------------------------------------------------------------------ tickets

  private TicketRun ticket(ApiClient api, List<Long> ids, int concurrency, int round) throws InterruptedException {
    String body = ApiClient.json(Map.of("operation", "SCAN", "hostIds", ids, "batch", Map.of("strategy", "NONE"),
        "concurrency", concurrency));
    Cpu cpu0 = cpu();
    long posted = System.nanoTime();
    var created = api.post("/api/v1/tickets", body);
    require(created.status() == 201, "POST /api/v1/tickets (concurrency " + concurrency + "): " + created);
    String id = created.json().get("id").asText();
    long deadline = posted + TICKET_TIMEOUT.toNanos();
    JsonNode details;
    while (true) {
      var r = api.get("/api/v1/tickets/" + id);
      require(r.status() == 200, "GET /api/v1/tickets/" + id + ": " + r);
      details = r.json();
      String status = details.get("ticket").get("status").asText();
      if (status.equals("COMPLETED") || status.equals("ABNORMAL") || status.equals("CANCELLED")) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("ticket " + id + " still " + status + " after " + TICKET_TIMEOUT + ": " + details);
      }
      Thread.sleep(POLL_MS);
    }
    double clientWall = seconds(System.nanoTime() - posted);
    Cpu used = cpu().minus(cpu0);
    JsonNode t = details.get("ticket");
    Instant started = instant(t.get("startedAt"));
    Instant finished = instant(t.get("finishedAt"));
    require(started != null && finished != null, "ticket " + id + " has no start or finish time: " + t);
    List<Double> durations = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (JsonNode h : details.get("hosts")) {
      Instant hs = instant(h.get("startedAt"));
      Instant hf = instant(h.get("finishedAt"));
      if (hs != null && hf != null) {
        durations.add(Duration.between(hs, hf).toNanos() / 1e9);
      }
      if (!"SUCCEEDED".equals(h.path("state").asText())) {
        errors.add(h.path("hostName").asText() + ": " + h.path("state").asText() + " " + h.path("errorKind").asText("")
            + " " + h.path("errorMessage").asText(""));
      }
    }
    return new TicketRun(concurrency, round, id, t.get("status").asText(), t.get("failed").asInt() + t.get("notRun").asInt(),
        Duration.between(started, finished).toNanos() / 1e9, clientWall, durations, errors, used);
  }

  // ------------------------------------------------------------------ report

  private void report(List<BenchHost> hosts, List<Pass> passes, Map<Integer, List<TicketRun>> byConcurrency,
      double labSeconds) {
    int n = hosts.size();
    // each host's baseline: its median over the passes
    double[] base = new double[n];
    double[] connect = new double[n];
    for (int i = 0; i < n; i++) {
      long id = hosts.get(i).id();
      base[i] = median(passes.stream().mapToDouble(p -> seconds(p.hosts().get(id).totalNanos())).toArray());
      connect[i] = median(passes.stream().mapToDouble(p -> seconds(p.hosts().get(id).connectNanos())).toArray());
    }
    double sumBase = Arrays.stream(base).sum();
    double maxBase = Arrays.stream(base).max().orElse(0);
    double meanBase = sumBase / n;
    double meanConnect = Arrays.stream(connect).average().orElse(0);
    Direct any = passes.get(0).hosts().values().iterator().next();
    int cores = Runtime.getRuntime().availableProcessors();
    double baseCpu = median(passes.stream().mapToDouble(p -> p.cpu().machine()).toArray());
    double basePlatformCpu = median(passes.stream().mapToDouble(p -> p.cpu().platform()).toArray());

    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%n================ Patchloop scan benchmark ================%n"));
    out.append(String.format(Locale.ROOT, "%d demo lab hosts (%s), SCAN tickets, batch NONE, %d runs per concurrency,"
        + " medians; %d CPUs%n", n, hosts.stream().map(BenchHost::osFamily).distinct().toList(), runs,
        Runtime.getRuntime().availableProcessors()));
    out.append(String.format(Locale.ROOT, "lab up %.1f s%n", labSeconds));
    out.append(String.format(Locale.ROOT, "Baseline (SshHostAccess.open + RpmCollector.collect + close, one host at a time,"
        + " per-host median of %d passes):%n", passes.size()));
    out.append(String.format(Locale.ROOT, "  sum %.2f s   max %.3f s   mean %.3f s (of which SSH connect+auth %.3f s)%n",
        sumBase, maxBase, meanBase, meanConnect));
    for (int p = 0; p < passes.size(); p++) {
      Pass pass = passes.get(p);
      out.append(String.format(Locale.ROOT, "  pass %d: sum %.2f s, max %.3f s, CPU machine %.1f s, platform %.1f s%n",
          p + 1, pass.hosts().values().stream().mapToDouble(x -> seconds(x.totalNanos())).sum(),
          pass.hosts().values().stream().mapToDouble(x -> seconds(x.totalNanos())).max().orElse(0),
          pass.cpu().machine(), pass.cpu().platform()));
    }
    out.append(String.format(Locale.ROOT, "  CPU per host scan (median pass): %.3f s machine-wide, of which %.3f s in"
        + " the platform JVM; CPU floor for %d hosts on %d CPUs = %.2f s%n", baseCpu / n, basePlatformCpu / n, n, cores,
        baseCpu / cores));
    out.append(String.format(Locale.ROOT, "  (a demo host: %d packages, %d advisories collected)%n", any.packages(),
        any.advisories()));
    out.append(String.format(Locale.ROOT, "%n%5s | %7s | %8s | %7s | %8s | %8s | %10s | %8s | %8s | %7s | %8s | %8s | %6s%n",
        "conc", "wall s", "client s", "ideal s", "wall/sum", "wall/max", "ovh/host s", "mean act", "act-base",
        "max act", "cpu/host", "plat cpu", "failed"));
    out.append("-".repeat(130)).append(String.format("%n"));
    for (var e : byConcurrency.entrySet()) {
      int c = e.getKey();
      List<TicketRun> rs = e.getValue();
      if (rs.isEmpty()) {
        continue;
      }
      double wall = med(rs, TicketRun::ticketWall);
      double client = med(rs, TicketRun::clientWall);
      double ideal = Math.max(sumBase / c, maxBase);
      double overhead = med(rs, r -> (r.ticketWall() * c - sumBase) / n);
      double meanAct = med(rs, TicketRun::meanActivity);
      double actMinusBase = med(rs, r -> r.meanActivity() - meanBase);
      double maxAct = med(rs, TicketRun::maxActivity);
      double cpuHost = med(rs, r -> r.cpu().machine() / n);
      double platformCpuHost = med(rs, r -> r.cpu().platform() / n);
      int failed = rs.stream().mapToInt(TicketRun::failed).sum();
      out.append(String.format(Locale.ROOT, "%5d | %7.2f | %8.2f | %7.2f | %8.3f | %8.2f | %10.3f | %8.3f | %8.3f | %7.3f | %8.3f | %8.3f | %6d%n",
          c, wall, client, ideal, wall / sumBase, wall / maxBase, overhead, meanAct, actMinusBase, maxAct, cpuHost,
          platformCpuHost, failed));
    }
    out.append(String.format(Locale.ROOT, "%nper run (ticket wall s / client wall s / mean activity s):%n"));
    for (var e : byConcurrency.entrySet()) {
      out.append(String.format(Locale.ROOT, "  c=%-3d", e.getKey()));
      for (TicketRun r : e.getValue()) {
        out.append(String.format(Locale.ROOT, "  [%.2f / %.2f / %.3f %s]", r.ticketWall(), r.clientWall(),
            r.meanActivity(), r.status()));
      }
      out.append(String.format("%n"));
    }
    out.append(String.format(Locale.ROOT, "%nwall = ticket finishedAt - startedAt (workflow clock); client = POST to the first"
        + " GET showing it finished (200 ms polls);%nideal = max(sum/conc, max): no overhead, perfect packing, no CPU"
        + " contention; ovh/host = (wall x conc - sum) / %d;%nact = ticket_hosts finishedAt - startedAt per host;"
        + " act-base = mean act - mean baseline (%.3f s);%ncpu/host = machine-wide busy CPU s during the ticket / %d"
        + " (includes anything else running on the machine); plat cpu = the platform JVM + embedded MariaDB, / %d.%n",
        n, meanBase, n, n));
    System.out.print(out);
    System.out.flush();
  }

  private static double med(List<TicketRun> runs, ToDoubleFunction<TicketRun> f) {
    return median(runs.stream().mapToDouble(f).toArray());
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  // ------------------------------------------------------------------ lab and clean-up

  private LabFleet.Result lab(Duration timeout, String... args) {
    return LabFleet.runLab(script, labDir, portBase, repoPort, timeout, args);
  }

  private static String requireOk(LabFleet.Result r, String what) {
    if (r.exitCode() != 0) {
      throw new IllegalStateException(what + " failed (exit " + r.exitCode() + "): " + r.stdout() + r.stderr());
    }
    return r.stdout();
  }


  private void closePlatform() {
    StandaloneApplication.Running running = platform.getAndSet(null);
    if (running != null) {
      long t = System.nanoTime();
      running.close();
      say("platform stopped in %.1f s", seconds(System.nanoTime() - t));
    }
  }

  private void labDown() {
    if (labUp.getAndSet(false)) {
      long t = System.nanoTime();
      LabFleet.Result r = lab(Duration.ofMinutes(2), "down");
      if (r.exitCode() != 0) {
        say("lab down FAILED (exit %d): %s%s -- remove it with LAB_DIR=%s %s down", r.exitCode(), r.stdout(),
            r.stderr(), labDir, script);
      } else {
        say("lab down in %.1f s", seconds(System.nanoTime() - t));
      }
    }
  }

  /** Ctrl-C or a kill: the finally blocks never run, so the hook takes everything down. */
  private void cleanUpQuietly() {
    try {
      closePlatform();
    } catch (RuntimeException e) {
      System.err.println("closing the platform: " + e);
    }
    try {
      labDown();
    } catch (RuntimeException e) {
      System.err.println("lab down: " + e);
    }
  }


  // ------------------------------------------------------------------ small things

  private static Instant instant(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isTextual()) {
      return Instant.parse(n.asText());
    }
    if (n.isFloatingPointNumber() || n.isBigDecimal()) {
      // seconds with a fraction, as Jackson writes instants as numbers
      var d = n.decimalValue();
      long secs = d.longValue();
      return Instant.ofEpochSecond(secs, d.subtract(java.math.BigDecimal.valueOf(secs)).movePointRight(9).longValue());
    }
    long v = n.asLong();
    return v > 100_000_000_000L ? Instant.ofEpochMilli(v) : Instant.ofEpochSecond(v);
  }

  /** CPU seconds so far; /proc/stat counts in USER_HZ (100 per second on Linux). */
  private static Cpu cpu() {
    double machine = Double.NaN;
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
          + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
      machine = busy / 100.0;
    } catch (IOException | RuntimeException e) {
      // not Linux: the CPU columns show NaN
    }
    ProcessHandle self = ProcessHandle.current();
    double platform = cpuSeconds(self) + self.descendants().mapToDouble(ScanBenchmark::cpuSeconds).sum();
    return new Cpu(machine, platform);
  }

  private static double cpuSeconds(ProcessHandle p) {
    return p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
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
    System.out.printf(Locale.ROOT, "[bench %6.1f s] " + format + "%n",
        concat(new Object[] {seconds(System.nanoTime() - startNanos)}, args));
    System.out.flush();
  }

  private static Object[] concat(Object[] a, Object[] b) {
    Object[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
