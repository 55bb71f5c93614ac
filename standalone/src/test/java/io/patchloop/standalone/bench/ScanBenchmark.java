package io.patchloop.standalone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.patchloop.advisories.UpdateInfoFileStore;
import io.patchloop.collect.CollectorTraffic;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * A fleet scan three ways, side by side on a real lab fleet: the Patchloop SCAN ticket, the plain
 * OpenSSH one-liner an administrator would type, and Ansible's {@code shell} module with the same
 * command.
 *
 * <p>Brings up {@code bench.hosts} (20) demo hosts with {@code infra/testhosts/lab} (own LAB_DIR
 * and ports), starts the standalone platform in this JVM on free ports with a data dir under
 * {@code standalone/target/} (/var/tmp when that is under /tmp), registers the hosts through the
 * API, then measures in the same run, on the same hosts, at each parallelism of {@code
 * bench.parallelism} (1,5,20):
 *
 * <ul>
 *   <li><b>ticket</b>: a SCAN ticket over all hosts, batch NONE, concurrency = the parallelism;
 *       its wall time is the client's (POST to the first GET that shows it finished, polled every
 *       100 ms), what a user waits;
 *   <li><b>one-liner</b>: {@code xargs -P <parallelism>} running {@code ssh ... root@host 'dnf -q
 *       updateinfo list --all; rpm -qa'} once per host, with the lab key, {@code
 *       StrictHostKeyChecking=no}, {@code UserKnownHostsFile=/dev/null} and {@code ControlMaster=no}:
 *       each run pays its own connections, as the ticket does;
 *   <li><b>ansible</b>: {@code ansible all -i <inventory> -f <parallelism> -m shell -a '<the same
 *       command>'}, when {@code ansible} is on the PATH (otherwise the run says it is skipped). Ansible
 *       as its users get it by default: no pipelining ({@code ANSIBLE_PIPELINING} is off unless
 *       configured), its default SSH arguments ({@code -C -o ControlMaster=auto -o ControlPersist=60s}:
 *       the connections of one run are shared between that run's steps); every run gets a fresh
 *       control-socket directory, so no run reuses an earlier run's connections, and the masters are
 *       closed ({@code ssh -O exit}) after the run, outside the timed part. The inventory sets
 *       {@code ansible_python_interpreter=/usr/bin/python3}: interpreter discovery would cost ansible
 *       one more round trip per host (and warns on these distributions), so this is the faster of
 *       the two choices, which makes ansible / ticket a conservative figure;
 *   <li><b>ticket, cold store</b>: once per round at parallelism {@code bench.coldParallelism} (5), a
 *       ticket after {@link #emptyChecksumStore} emptied the platform's store of parsed advisory files
 *       (a hook: it deletes from {@code updateinfo_file_chunks} and {@code updateinfo_files} when those
 *       tables exist, and does nothing otherwise).
 * </ul>
 *
 * <p>Before measuring, one unmeasured run of each method over all hosts at parallelism 5 warms
 * every host's dnf cache, the JIT, Temporal and the pools. {@code bench.runs} (3) rounds follow,
 * each going through every parallelism and method in turn, so a noisy spell on the shared machine
 * does not hit one method only; medians are printed. The one-liner's dnf does not refresh the
 * metadata: the lab sets no {@code metadata_expire} (neither in {@code /etc/dnf/dnf.conf} nor in
 * {@code /etc/yum.repos.d/patchloop-lab.repo}), so dnf's default of 48 hours applies (dnf's
 * conf_ref.rst, {@code metadata_expire}), and the warm-up leaves a fresh cache; the lab's repo server
 * log is counted around every run ("repo GETs") to show it (the ticket's collector runs {@code dnf
 * makecache}, which fetches each host's repomd.xml on every scan: one GET per host).
 *
 * <p>Figures per method and parallelism: median wall time, the ratio to the one-liner's, CPU per
 * host machine-wide (/proc/stat: the hosts' sshd and dnf, ssh and ansible, the platform, and whatever
 * else runs on the machine) and on the control side (this JVM, its live children, i.e. the embedded
 * MariaDB, and its reaped children, i.e. the one-liner's xargs and ssh and ansible's processes; not
 * ansible's detached SSH masters), and bytes per host: for the ticket what the collector received
 * from the hosts ({@link CollectorTraffic}), for the one-liner and ansible the bytes of stdout they
 * printed. Then the done-when ratios at parallelism 5 with PASS or FAIL: ticket / one-liner (target
 * at most 0.6), ansible / ticket (at least 3), cold-store ticket / one-liner (at most 1.0).
 *
 * <p>It still measures the ticket's own overhead against a <b>baseline</b>: per host, the host work
 * alone with the platform's own beans but no Temporal, no ticket and no database writes ({@code
 * SshHostAccess.open} + {@code RpmCollector.collect} + close, one host at a time; two passes before
 * the rounds and one after, each host's median), and prints per ticket parallelism the workflow's
 * wall (finishedAt - startedAt), wall / sum(baseline), overhead per host = (wall x parallelism -
 * sum(baseline)) / hosts and mean activity - mean baseline.
 *
 * <p>Run as root from the repository root. Nothing is installed into the Maven repository and
 * Maven stays offline: the build's debug output gives the standalone module's test classpath
 * (its own classes dirs first, then the other modules' target/classes, then the jars; the
 * standalone classes must come first, or the api's application.yaml shadows the standalone one).
 * About 10 minutes with the defaults:
 *
 * <pre>
 * ./mvnw -B -o -X -ntp -pl standalone -am test-compile &gt; /tmp/scan-bench-build.log
 * CP=$(grep -F "(f) testPath = [$PWD/standalone/target/test-classes" /tmp/scan-bench-build.log \
 *     | sed 's/.*testPath = \[//; s/\]$//; s/, /:/g')
 * java -cp "$CP" io.patchloop.standalone.bench.ScanBenchmark
 * </pre>
 *
 * (the dependency plugin's {@code build-classpath} needs artifacts an offline build may not have,
 * and over the modules' installed jars it needs {@code mvn install} first).
 *
 * <p>Everything it starts is stopped in finally blocks (and by a shutdown hook on Ctrl-C): the
 * platform, then {@code lab down}. System properties: {@code bench.hosts}, {@code
 * bench.parallelism} (also read as {@code bench.concurrency}), {@code bench.runs}, {@code
 * bench.coldParallelism}, {@code bench.dataParent}, {@code bench.labDir} (/var/tmp/pl-bench),
 * {@code bench.portBase} (2600), {@code bench.repoPort} (8495), {@code bench.keepData} (false).
 */
public final class ScanBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path LAB_SCRIPT = Path.of("infra", "testhosts", "lab");
  private static final Duration TICKET_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(10);
  private static final long POLL_MS = 100;
  /** What the issue compares with: the inventory an administrator would fetch by hand. */
  static final String HOST_COMMAND = "dnf -q updateinfo list --all; rpm -qa";
  private static final List<String> SSH_OPTIONS = List.of("-o", "StrictHostKeyChecking=no", "-o",
      "UserKnownHostsFile=/dev/null", "-o", "ControlMaster=no", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR");
  /** Tables of the checksum store of parsed advisory files, children first. */
  static final List<String> CHECKSUM_STORE_TABLES = List.of("updateinfo_file_chunks", "updateinfo_files");
  private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9_./-]+");
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  /** An ad-hoc shell result line of ansible's default (minimal) output for a host that succeeded. */
  private static final Pattern ANSIBLE_OK = Pattern.compile("(?m)^\\S+ \\| CHANGED \\| rc=0 >>$");

  private final int hostCount = Integer.getInteger("bench.hosts", 20);
  private final int[] parallelisms = Arrays.stream(System.getProperty("bench.parallelism",
          System.getProperty("bench.concurrency", "1,5,20")).split(","))
      .map(String::strip).mapToInt(Integer::parseInt).toArray();
  private final int runs = Integer.getInteger("bench.runs", 3);
  private final int coldParallelism = Integer.getInteger("bench.coldParallelism", 5);
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
  private record BenchHost(long id, String name, String address, int port, String osFamily, String state) {}

  /** One direct (no ticket) measurement of one host. */
  private record Direct(long connectNanos, long collectNanos, long totalNanos, int packages, int advisories) {}

  /**
   * CPU seconds used so far: the whole machine (busy time of all CPUs, /proc/stat) and the control
   * side (this JVM, its live descendants, i.e. the embedded MariaDB, and the children it has reaped,
   * i.e. the commands the benchmark ran).
   */
  private record Cpu(double machine, double control) {
    Cpu minus(Cpu before) {
      return new Cpu(machine - before.machine, control - before.control);
    }
  }

  /** One direct pass over all hosts, with the CPU it cost. */
  private record Pass(Map<Long, Direct> hosts, Cpu cpu) {}

  /** The ways of scanning the fleet that are compared. */
  enum Method {
    TICKET("Patchloop ticket"),
    TICKET_COLD_STORE("ticket, cold store"),
    ONE_LINER("OpenSSH one-liner"),
    ANSIBLE("ansible shell");

    final String label;

    Method(String label) {
      this.label = label;
    }
  }

  /**
   * One measured run of one method over the fleet. {@code bytes}: for a ticket what the collector
   * received from the hosts, for a command its stdout. {@code failed}: hosts that did not succeed,
   * or -1 when the command failed without saying which.
   */
  private record Run(Method method, int parallelism, int round, double wall, Cpu cpu, long bytes, int failed,
      long repoGets, String problem, TicketRun ticket) {}

  /** One finished ticket. */
  private record TicketRun(int concurrency, String id, String status, int failed, double ticketWall,
      double clientWall, List<Double> hostDurations, List<String> errors, Cpu cpu, long bytesReceived) {
    double meanActivity() {
      return hostDurations.stream().mapToDouble(d -> d).average().orElse(Double.NaN);
    }

    double maxActivity() {
      return hostDurations.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
    }
  }

  /** A command's result: exit code, wall seconds, CPU, bytes of stdout, hosts ansible reported ok (0 for the one-liner). */
  private record CommandRun(int exitCode, double wall, Cpu cpu, long stdoutBytes, int succeededHosts,
      String stderrExcerpt) {}

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
    say("scan benchmark: %d demo hosts, parallelism %s, %d runs each, cold store at %d; lab %s ports %d+N repo %d;"
        + " load %s", hostCount, Arrays.toString(parallelisms), runs, coldParallelism, labDir, portBase, repoPort,
        loadAverage());

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
      require(SAFE_PATH.matcher(keyPath).matches(), "unexpected lab key path: " + keyPath);
      say("lab up %d hosts in %.1f s, key %s", fleet.size(), labSeconds, keyPath);

      Path dataParent = dataParent();
      Files.createDirectories(dataParent);
      dataDir = Files.createTempDirectory(dataParent, "bench-data-");
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
      say("total run time %.1f s; load %s", seconds(System.nanoTime() - startNanos), loadAverage());
    }
  }

  /**
   * Where the platform's data dir goes: {@code bench.dataParent}, else standalone/target, unless
   * that is under /tmp (a worktree there), which the embedded MariaDB refuses: then /var/tmp.
   */
  private Path dataParent() {
    String configured = System.getProperty("bench.dataParent");
    if (configured != null) {
      return Path.of(configured);
    }
    Path target = repoRoot.resolve("standalone").resolve("target").toAbsolutePath().normalize();
    return target.startsWith("/tmp") ? Path.of("/var/tmp") : target;
  }

  private void measure(StandaloneApplication.Running running, Path dataDir, JsonNode fleet, String keyPath,
      double labSeconds) throws Exception {
    String token = Files.readString(dataDir.resolve("admin-token")).strip();
    ApiClient api = new ApiClient("http://127.0.0.1:" + running.apiPort(), token);

    // the demo fleet's openEuler hosts scan under the built-in openEuler-default (V20), as the others under theirs
    require(api.get("/api/v1/baselines?os=OPENEULER").json().size() > 0, "no OPENEULER baseline: is V20 applied?");

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
      BenchHost host = new BenchHost(h.get("id").asLong(), h.get("name").asText(), h.get("address").asText(),
          h.get("port").asInt(), h.get("osFamily").asText(), h.get("tags").path("state").asText());
      // these go onto command lines (xargs, the ansible inventory)
      require(SAFE_NAME.matcher(host.name()).matches() && IPV4.matcher(host.address()).matches()
          && host.port() > 0 && host.port() < 65536, "unexpected host from the lab: " + host);
      hosts.add(host);
    }
    require(hosts.size() == hostCount, "imported " + hosts.size() + " hosts, not " + hostCount);
    List<Long> ids = hosts.stream().map(BenchHost::id).toList();
    say("registered %d hosts (ids %d..%d)", hosts.size(), ids.get(0), ids.get(ids.size() - 1));

    ConfigurableApplicationContext ctx = running.context();
    HostStore hostStore = ctx.getBean(HostStore.class);
    HostTargets targets = ctx.getBean(HostTargets.class);
    SshHostAccess access = ctx.getBean(SshHostAccess.class);
    RpmCollector collector = ctx.getBean(RpmCollector.class);
    CollectorTraffic traffic = ctx.getBean(CollectorTraffic.class);
    DataSource dataSource = ctx.getBean(DataSource.class);
    UpdateInfoFileStore checksumMemory = ctx.getBean(UpdateInfoFileStore.class);

    Optional<Path> ansible = onPath("ansible");
    Path work = Files.createDirectories(dataDir.resolve("bench-work"));
    Path inventory = ansible.isPresent() ? writeInventory(work, hosts, keyPath) : null;
    say(ansible.map(a -> "ansible: " + a + ", inventory " + inventory)
        .orElse("ansible: SKIPPED, no `ansible` on the PATH"));
    List<String> storeTables = checksumStoreTables(dataSource);
    say("checksum store tables: %s", storeTables.isEmpty() ? "none yet (the cold-store hook does nothing)" : storeTables);

    // warm-up, unmeasured: every method once over all hosts (dnf caches, JIT, Temporal, pools, ansible's imports)
    int warmParallelism = 5;
    TicketRun warm = ticket(api, traffic, ids, warmParallelism);
    say("warm-up ticket: %s in %.2f s (client %.2f s)%s", warm.status(), warm.ticketWall(), warm.clientWall(),
        warm.errors().isEmpty() ? "" : " errors " + warm.errors());
    require(warm.status().equals("COMPLETED") && warm.failed() == 0,
        "the warm-up ticket did not complete cleanly: " + warm.status() + " " + warm.errors());
    CommandRun warmOneLiner = oneLiner(hosts, keyPath, warmParallelism, work);
    say("warm-up one-liner: exit %d in %.2f s, %d bytes%s", warmOneLiner.exitCode(), warmOneLiner.wall(),
        warmOneLiner.stdoutBytes(), warmOneLiner.exitCode() == 0 ? "" : ": " + warmOneLiner.stderrExcerpt());
    require(warmOneLiner.exitCode() == 0, "the warm-up one-liner failed: " + warmOneLiner.stderrExcerpt());
    if (ansible.isPresent()) {
      CommandRun warmAnsible = ansible(ansible.get(), inventory, warmParallelism, work, hosts.size());
      say("warm-up ansible: exit %d in %.2f s, %d of %d hosts ok, %d bytes%s", warmAnsible.exitCode(),
          warmAnsible.wall(), warmAnsible.succeededHosts(), hosts.size(), warmAnsible.stdoutBytes(),
          warmAnsible.exitCode() == 0 ? "" : ": " + warmAnsible.stderrExcerpt());
      require(warmAnsible.exitCode() == 0 && warmAnsible.succeededHosts() == hosts.size(),
          "the warm-up ansible run failed: " + warmAnsible.stderrExcerpt());
    }

    List<Pass> passes = new ArrayList<>();
    passes.add(directPass(hosts, hostStore, targets, access, collector, "baseline pass 1"));
    passes.add(directPass(hosts, hostStore, targets, access, collector, "baseline pass 2"));

    List<Run> measured = new ArrayList<>();
    for (int round = 1; round <= runs; round++) {
      for (int p : parallelisms) {
        measured.add(logged(ticketRun(api, traffic, ids, p, round, Method.TICKET)));
        measured.add(logged(commandRun(Method.ONE_LINER, p, round, () -> oneLiner(hosts, keyPath, p, work), false)));
        if (ansible.isPresent()) {
          measured.add(logged(commandRun(Method.ANSIBLE, p, round,
              () -> ansible(ansible.get(), inventory, p, work, hosts.size()), true)));
        }
        if (p == coldParallelism) {
          int deleted = emptyChecksumStore(dataSource);
          checksumMemory.forgetHeldInMemory(); // the worker's parsed copies too, or the store is not cold
          if (!storeTables.isEmpty()) {
            say("cold store: %d rows deleted from %s", deleted, storeTables);
          }
          measured.add(logged(ticketRun(api, traffic, ids, p, round, Method.TICKET_COLD_STORE)));
        }
      }
    }
    passes.add(directPass(hosts, hostStore, targets, access, collector, "baseline pass 3 (after the rounds)"));

    report(hosts, passes, measured, labSeconds, ansible.isPresent(), storeTables);
  }

  private Run logged(Run r) {
    say("P=%-3d round %d %-20s wall %6.2f s, %8d bytes, machine CPU %5.1f s, control CPU %5.1f s, repo GETs %d%s",
        r.parallelism(), r.round(), r.method().label, r.wall(), r.bytes(), r.cpu().machine(), r.cpu().control(),
        r.repoGets(), r.problem() == null ? "" : ", FAILED: " + r.problem());
    return r;
  }

  // ------------------------------------------------------------------ the checksum store hook

  /**
   * Empties the platform's checksum store of parsed advisory files so the next ticket parses
   * every file again: {@code DELETE FROM} each of {@link #CHECKSUM_STORE_TABLES} that exists in the
   * platform's schema; a table that does not exist is skipped silently.
   *
   * @return rows deleted
   */
  static int emptyChecksumStore(DataSource dataSource) throws SQLException {
    int deleted = 0;
    List<String> present = checksumStoreTables(dataSource);
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      for (String table : CHECKSUM_STORE_TABLES) {
        if (present.contains(table)) {
          // the name is one of our constants, never input
          deleted += st.executeUpdate("DELETE FROM " + table);
        }
      }
    }
    return deleted;
  }

  /** Which of {@link #CHECKSUM_STORE_TABLES} exist in the platform's schema. */
  static List<String> checksumStoreTables(DataSource dataSource) throws SQLException {
    List<String> present = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?")) {
      for (String table : CHECKSUM_STORE_TABLES) {
        ps.setString(1, table);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            present.add(table);
          }
        }
      }
    }
    return present;
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
    say("%s: sum %.2f s, max %.3f s, pass took %.1f s; CPU machine %.1f s, control side %.1f s", label, sum, max,
        seconds(System.nanoTime() - t0), used.machine(), used.control());
    return new Pass(pass, used);
  }

  // ------------------------------------------------------------------ tickets

  private Run ticketRun(ApiClient api, CollectorTraffic traffic, List<Long> ids, int parallelism, int round,
      Method method) throws InterruptedException {
    long gets0 = repoGets();
    TicketRun t = ticket(api, traffic, ids, parallelism);
    String problem = t.status().equals("COMPLETED") && t.failed() == 0 ? null : t.status() + " " + t.errors();
    return new Run(method, parallelism, round, t.clientWall(), t.cpu(), t.bytesReceived(), t.failed(),
        repoGets() - gets0, problem, t);
  }

  private TicketRun ticket(ApiClient api, CollectorTraffic traffic, List<Long> ids, int concurrency)
      throws InterruptedException {
    String body = ApiClient.json(Map.of("operation", "SCAN", "hostIds", ids, "batch", Map.of("strategy", "NONE"),
        "concurrency", concurrency));
    long bytes0 = traffic.bytesReceived();
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
    long bytes = traffic.bytesReceived() - bytes0;
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
    return new TicketRun(concurrency, id, t.get("status").asText(), t.get("failed").asInt() + t.get("notRun").asInt(),
        Duration.between(started, finished).toNanos() / 1e9, clientWall, durations, errors, used, bytes);
  }

  // ------------------------------------------------------------------ the one-liner and ansible

  /** A command run of the benchmark's, as a supplier that may throw. */
  private interface CommandSupplier {
    CommandRun get() throws IOException, InterruptedException;
  }

  private Run commandRun(Method method, int parallelism, int round, CommandSupplier command, boolean perHostCount)
      throws IOException, InterruptedException {
    long gets0 = repoGets();
    CommandRun c = command.get();
    long gets = repoGets() - gets0;
    int failed;
    String problem = null;
    if (perHostCount) {
      failed = hostCount - c.succeededHosts();
    } else {
      failed = c.exitCode() == 0 ? 0 : -1;
    }
    if (c.exitCode() != 0 || failed != 0) {
      problem = "exit " + c.exitCode() + ": " + c.stderrExcerpt();
    }
    return new Run(method, parallelism, round, c.wall(), c.cpu(), c.stdoutBytes(), failed, gets, problem, null);
  }

  /**
   * {@code xargs -P <parallelism>} starting one {@code ssh} per host, argv only (no local shell):
   * the host's address and port were checked when the hosts were registered, the key path when the
   * lab printed it.
   */
  private CommandRun oneLiner(List<BenchHost> hosts, String keyPath, int parallelism, Path work)
      throws IOException, InterruptedException {
    String address = hosts.get(0).address();
    require(hosts.stream().allMatch(h -> h.address().equals(address)), "the lab hosts do not share one address");
    List<String> argv = new ArrayList<>(List.of("xargs", "-P", Integer.toString(parallelism), "-I{}", "ssh", "-i",
        keyPath, "-p", "{}"));
    argv.addAll(SSH_OPTIONS);
    argv.add("root@" + address);
    argv.add(HOST_COMMAND);
    StringBuilder ports = new StringBuilder();
    hosts.forEach(h -> ports.append(h.port()).append('\n'));
    return runCommand(new ProcessBuilder(argv).directory(work.toFile()), ports.toString(), false);
  }

  private CommandRun ansible(Path ansible, Path inventory, int forks, Path work, int hosts)
      throws IOException, InterruptedException {
    // short: a control socket's path must fit a Unix socket address (108 bytes) with ansible's suffixes
    Path controlDir = Files.createTempDirectory(Path.of("/tmp"), "pl-acp-");
    ProcessBuilder pb = new ProcessBuilder(ansible.toString(), "all", "-i", inventory.toString(), "-f",
        Integer.toString(forks), "-m", "shell", "-a", HOST_COMMAND).directory(work.toFile());
    Map<String, String> env = pb.environment();
    env.put("ANSIBLE_HOST_KEY_CHECKING", "False");
    // a fresh directory per run: the run opens (and shares among its steps) its own connections
    env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", controlDir.toString());
    env.put("ANSIBLE_NOCOLOR", "1");
    try {
      return runCommand(pb, "", true);
    } finally {
      closeControlMasters(controlDir);
    }
  }

  /** Ansible's SSH masters live on for ControlPersist (60 s): close this run's now, outside the timed part. */
  private static void closeControlMasters(Path controlDir) throws IOException, InterruptedException {
    List<Path> sockets;
    try (Stream<Path> s = Files.list(controlDir)) {
      sockets = s.toList();
    }
    for (Path socket : sockets) {
      Process p = new ProcessBuilder("ssh", "-o", "ControlPath=" + socket, "-O", "exit", "control-master")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    FileSystemUtils.deleteRecursively(controlDir);
  }

  private static Path writeInventory(Path work, List<BenchHost> hosts, String keyPath) throws IOException {
    StringBuilder inv = new StringBuilder("[lab]\n");
    for (BenchHost h : hosts) {
      inv.append(String.format(Locale.ROOT, "%s ansible_host=%s ansible_port=%d%n", h.name(), h.address(), h.port()));
    }
    inv.append("[all:vars]\n")
        .append("ansible_user=root\n")
        .append("ansible_ssh_private_key_file=").append(keyPath).append('\n')
        // no known_hosts of root's to fill with the lab's throw-away host keys
        .append("ansible_ssh_extra_args='-o UserKnownHostsFile=/dev/null'\n")
        .append("ansible_python_interpreter=/usr/bin/python3\n");
    Path file = work.resolve("inventory.ini");
    Files.writeString(file, inv.toString());
    return file;
  }

  /** Runs a command with {@code stdin}, counting its stdout bytes (read as they come) and keeping its stderr's end. */
  private static CommandRun runCommand(ProcessBuilder pb, String stdin, boolean countAnsibleHosts)
      throws IOException, InterruptedException {
    Cpu cpu0 = cpu();
    long t0 = System.nanoTime();
    Process p = pb.start();
    long[] stdoutBytes = new long[1];
    ByteArrayOutputStream keptStdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    Thread out = new Thread(() -> stdoutBytes[0] = drain(p.getInputStream(),
        countAnsibleHosts ? keptStdout : OutputStream.nullOutputStream()), "bench-stdout");
    Thread err = new Thread(() -> drain(p.getErrorStream(), stderr), "bench-stderr");
    out.start();
    err.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.US_ASCII));
    }
    if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(pb.command().get(0) + " still running after " + COMMAND_TIMEOUT);
    }
    out.join();
    err.join();
    double wall = seconds(System.nanoTime() - t0);
    Cpu used = cpu().minus(cpu0);
    int ok = countAnsibleHosts ? (int) ANSIBLE_OK.matcher(keptStdout.toString(StandardCharsets.UTF_8)).results().count() : 0;
    String e = stderr.toString(StandardCharsets.UTF_8).strip();
    if (countAnsibleHosts && ok == 0) {
      // ansible reports unreachable hosts on stdout
      e = keptStdout.toString(StandardCharsets.UTF_8).strip() + "\n" + e;
    }
    return new CommandRun(p.exitValue(), wall, used, stdoutBytes[0], ok,
        e.length() > 600 ? "..." + e.substring(e.length() - 600) : e);
  }

  private static long drain(InputStream in, OutputStream keep) {
    byte[] buf = new byte[64 * 1024];
    long n = 0;
    try (in) {
      int r;
      while ((r = in.read(buf)) > 0) {
        n += r;
        keep.write(buf, 0, r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }

  private static Optional<Path> onPath(String program) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, program))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** Requests the lab's repo server has logged (python's http.server logs one line per request to repo.log). */
  private long repoGets() {
    Path log = labDir.resolve("repo.log");
    try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
      return lines.filter(l -> l.contains("\"GET ")).count();
    } catch (IOException e) {
      return 0;
    }
  }

  // ------------------------------------------------------------------ report

  private void report(List<BenchHost> hosts, List<Pass> passes, List<Run> measured, double labSeconds,
      boolean withAnsible, List<String> storeTables) {
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

    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%n================ Patchloop scan benchmark: side by side ================%n"));
    out.append(String.format(Locale.ROOT, "%d demo lab hosts (%s), %d rounds, medians; %d CPUs; lab up %.1f s%n", n,
        hosts.stream().map(BenchHost::osFamily).distinct().toList(), runs, cores, labSeconds));
    out.append(String.format(Locale.ROOT, "one-liner: xargs -P <P> ssh ... root@host '%s'%n", HOST_COMMAND));
    out.append(withAnsible
        ? String.format(Locale.ROOT, "ansible: ansible all -i <inventory> -f <P> -m shell -a '%s' (no pipelining,"
            + " default ssh args, python /usr/bin/python3)%n", HOST_COMMAND)
        : String.format(Locale.ROOT, "ansible: SKIPPED (no `ansible` on the PATH)%n"));
    out.append(String.format(Locale.ROOT, "cold store: %s%n", storeTables.isEmpty()
        ? "no checksum store table exists yet, so the cold-store ticket ran on the same state as the warm one"
        : "emptied " + storeTables + " before each cold-store ticket"));

    out.append(String.format(Locale.ROOT, "%n%3s | %-20s | %8s | %11s | %13s | %15s | %11s | %9s | %6s%n", "P", "method",
        "wall s", "/ one-liner", "machine CPU/h", "control CPU/h", "bytes/host", "repo GETs", "failed"));
    out.append("-".repeat(118)).append(String.format("%n"));
    for (int p : parallelisms) {
      double oneLiner = medianWall(measured, Method.ONE_LINER, p);
      for (Method m : Method.values()) {
        List<Run> rs = runsOf(measured, m, p);
        if (rs.isEmpty()) {
          continue;
        }
        double wall = medRuns(rs, Run::wall);
        out.append(String.format(Locale.ROOT, "%3d | %-20s | %8.2f | %11.2f | %10.0f ms | %12.0f ms | %11.0f | %9d | %6s%n",
            p, m.label, wall, wall / oneLiner, medRuns(rs, r -> r.cpu().machine() / n) * 1000,
            medRuns(rs, r -> r.cpu().control() / n) * 1000, medRuns(rs, r -> (double) r.bytes() / n),
            rs.stream().mapToLong(Run::repoGets).sum(), failedCell(rs)));
      }
    }
    out.append(String.format(Locale.ROOT, "%nwall: ticket = POST to the first GET showing it finished (%d ms polls);"
        + " commands = start to exit.%nmachine CPU/h: busy CPU of the whole machine during the run / %d (the hosts'"
        + " sshd and dnf included, and anything else running).%ncontrol CPU/h: this JVM (the platform; idle beside the"
        + " commands) + embedded MariaDB + the commands' reaped processes (xargs, ssh, ansible; not ansible's"
        + " detached SSH masters), / %d.%nbytes/host: ticket = bytes the collector received from the hosts"
        + " (CollectorTraffic); commands = bytes of their stdout.%nrepo GETs: requests to the lab repo server during"
        + " the runs (all rounds): dnf checking or fetching repository metadata.%n", POLL_MS, n, n));

    out.append(String.format(Locale.ROOT, "%nDone-when figures at P=5:%n"));
    out.append(doneWhen("ticket / one-liner", medianWall(measured, Method.TICKET, 5),
        medianWall(measured, Method.ONE_LINER, 5), 0.6, true));
    out.append(withAnsible
        ? doneWhen("ansible / ticket", medianWall(measured, Method.ANSIBLE, 5), medianWall(measured, Method.TICKET, 5),
            3.0, false)
        : String.format(Locale.ROOT, "  ansible / ticket at P=5: SKIPPED (no ansible)%n"));
    out.append(doneWhen("cold-store ticket / one-liner", medianWall(measured, Method.TICKET_COLD_STORE, 5),
        medianWall(measured, Method.ONE_LINER, 5), 1.0, true));

    out.append(String.format(Locale.ROOT, "%nTicket overhead against the baseline (SshHostAccess.open +"
        + " RpmCollector.collect + close, one host at a time, per-host median of %d passes):%n", passes.size()));
    out.append(String.format(Locale.ROOT, "  sum %.2f s   max %.3f s   mean %.3f s (of which SSH connect+auth %.3f s);"
        + " a demo host: %d packages, %d advisories%n", sumBase, maxBase, meanBase, meanConnect, any.packages(),
        any.advisories()));
    out.append(String.format(Locale.ROOT, "%3s | %-20s | %8s | %8s | %8s | %10s | %8s | %8s | %7s%n", "P", "ticket",
        "wall s", "client s", "wall/sum", "ovh/host s", "mean act", "act-base", "max act"));
    out.append("-".repeat(102)).append(String.format("%n"));
    for (int p : parallelisms) {
      for (Method m : List.of(Method.TICKET, Method.TICKET_COLD_STORE)) {
        List<TicketRun> ts = runsOf(measured, m, p).stream().map(Run::ticket).toList();
        if (ts.isEmpty()) {
          continue;
        }
        double wall = med(ts, TicketRun::ticketWall);
        out.append(String.format(Locale.ROOT, "%3d | %-20s | %8.2f | %8.2f | %8.3f | %10.3f | %8.3f | %8.3f | %7.3f%n",
            p, m.label, wall, med(ts, TicketRun::clientWall), wall / sumBase,
            med(ts, r -> (r.ticketWall() * p - sumBase) / n), med(ts, TicketRun::meanActivity),
            med(ts, r -> r.meanActivity() - meanBase), med(ts, TicketRun::maxActivity)));
      }
    }
    out.append(String.format(Locale.ROOT, "wall = ticket finishedAt - startedAt (workflow clock); ovh/host = (wall x P"
        + " - sum) / %d; act = ticket_hosts finishedAt - startedAt per host; act-base = mean act - mean baseline.%n", n));

    out.append(String.format(Locale.ROOT, "%nper run (wall s, in round order):%n"));
    for (int p : parallelisms) {
      for (Method m : Method.values()) {
        List<Run> rs = runsOf(measured, m, p);
        if (!rs.isEmpty()) {
          out.append(String.format(Locale.ROOT, "  P=%-3d %-20s", p, m.label));
          rs.forEach(r -> out.append(String.format(Locale.ROOT, "  %.2f%s", r.wall(), r.problem() == null ? "" : " FAILED")));
          out.append(String.format("%n"));
        }
      }
    }
    System.out.print(out);
    System.out.flush();
  }

  private static String failedCell(List<Run> rs) {
    if (rs.stream().anyMatch(r -> r.failed() < 0)) {
      return "exit!=0";
    }
    return Integer.toString(rs.stream().mapToInt(Run::failed).sum());
  }

  private static String doneWhen(String what, double numerator, double denominator, double target, boolean atMost) {
    double ratio = numerator / denominator;
    if (Double.isNaN(ratio)) {
      return String.format(Locale.ROOT, "  %s at P=5: not measured (parallelism 5 not in the list)%n", what);
    }
    boolean pass = atMost ? ratio <= target : ratio >= target;
    return String.format(Locale.ROOT, "  %s at P=5: %.2f (%.2f s / %.2f s; target %s %.1f): %s%n", what, ratio,
        numerator, denominator, atMost ? "<=" : ">=", target, pass ? "PASS" : "FAIL");
  }

  private static List<Run> runsOf(List<Run> measured, Method m, int parallelism) {
    return measured.stream().filter(r -> r.method() == m && r.parallelism() == parallelism).toList();
  }

  private static double medianWall(List<Run> measured, Method m, int parallelism) {
    return medRuns(runsOf(measured, m, parallelism), Run::wall);
  }

  private static double medRuns(List<Run> runs, ToDoubleFunction<Run> f) {
    return median(runs.stream().mapToDouble(f).toArray());
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

  /** CPU seconds so far; /proc/stat and /proc/self/stat count in USER_HZ (100 per second on Linux). */
  private static Cpu cpu() {
    double machine = Double.NaN;
    double reapedChildren = 0;
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
          + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
      machine = busy / 100.0;
      // proc(5): after "(comm)" come state (3) ... utime (14), stime (15), cutime (16), cstime (17): the
      // children's time counts once they are reaped, the commands' xargs, ssh and ansible included
      String self = Files.readString(Path.of("/proc/self/stat"));
      String[] g = self.substring(self.lastIndexOf(')') + 2).split(" ");
      reapedChildren = (Long.parseLong(g[13]) + Long.parseLong(g[14])) / 100.0;
    } catch (IOException | RuntimeException e) {
      // not Linux: the CPU columns show NaN
    }
    ProcessHandle self = ProcessHandle.current();
    double control = cpuSeconds(self) + self.descendants().mapToDouble(ScanBenchmark::cpuSeconds).sum()
        + reapedChildren;
    return new Cpu(machine, control);
  }

  private static double cpuSeconds(ProcessHandle p) {
    return p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "?";
    }
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
