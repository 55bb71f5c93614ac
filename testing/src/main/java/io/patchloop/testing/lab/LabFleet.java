package io.patchloop.testing.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet of real rpm/dnf hosts for one test class, made by {@code infra/testhosts/lab} (see its
 * README): each host is reachable with SSH as root on 127.0.0.1 and is in a known patch state.
 * {@link #installAgent} turns a host into one that runs the Patchloop agent instead of sshd (no
 * inbound SSH); {@link #exec} runs commands on any host without SSH.
 *
 * <pre>{@code
 * @RegisterExtension
 * static LabFleet fleet = LabFleet.builder().hosts(5).profile("demo").and("quirks", 2).build();
 * }</pre>
 *
 * <p>The fleet gets its own state dir and ports, so it never clashes with a developer's demo
 * fleet or a parallel test JVM. Where the lab cannot run (not Linux, not root, lab packages not
 * installed, no namespaces), the test class is skipped with the reason. Set the system property
 * {@code patchloop.lab.keep=true} to leave the fleet running after the class, for debugging.
 */
public final class LabFleet implements BeforeAllCallback, AfterAllCallback, ExecutionCondition {

  private static final Logger log = LoggerFactory.getLogger(LabFleet.class);
  private static final ObjectMapper json = new ObjectMapper();
  private static final AtomicInteger fleets = new AtomicInteger();
  private static final Path SCRIPT_IN_REPO = Path.of("infra", "testhosts", "lab");
  /** Hosts use portBase+1.., the repo server portBase+REPO_OFFSET. */
  private static final int REPO_OFFSET = 99;

  /**
   * One host of the fleet, as {@code lab list --json} describes it. {@code services} is what the
   * host runs: {@code [sshd]} (every host after {@code lab up}), {@code [agent]} after {@link
   * #installAgent}.
   */
  public record Host(
      int index,
      String name,
      String address,
      int port,
      String flavour,
      String osFamily,
      String osId,
      String osVersion,
      String profile,
      String intendedState,
      Path keyPath,
      Path manifest,
      List<String> services) {

    public Host {
      services = List.copyOf(services);
    }

    /** A host that runs sshd only, as every host does after {@code lab up}. */
    public Host(int index, String name, String address, int port, String flavour, String osFamily, String osId,
        String osVersion, String profile, String intendedState, Path keyPath, Path manifest) {
      this(index, name, address, port, flavour, osFamily, osId, osVersion, profile, intendedState, keyPath,
          manifest, List.of("sshd"));
    }

    public boolean hasSshd() {
      return services.contains("sshd");
    }

    public boolean hasAgent() {
      return services.contains("agent");
    }
  }

  /** Exit code and output of a command run on a host. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** Non-empty lines of stdout. */
    public List<String> lines() {
      return stdout.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  private record Group(String profile, int hosts) {}

  private final List<Group> groups;
  private final Duration upTimeout;
  private final Optional<Path> requestedLabDir;
  private final Optional<Integer> requestedPortBase;

  private Path script;
  private Path labDir;
  private int portBase;
  private int repoPort;
  private volatile List<Host> hosts = List.of();
  private final Map<String, JsonNode> manifests = new HashMap<>();
  private Thread shutdownHook;

  private LabFleet(Builder b) {
    this.groups = List.copyOf(b.groups);
    this.upTimeout = b.upTimeout;
    this.requestedLabDir = Optional.ofNullable(b.labDir);
    this.requestedPortBase = Optional.ofNullable(b.portBase);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a fleet: a first group ({@link #hosts}, {@link #profile}) plus any {@link #and} groups. */
  public static final class Builder {
    private int hosts = 5;
    private String profile = "demo";
    private final List<Group> extra = new ArrayList<>();
    private List<Group> groups;
    private Duration upTimeout = Duration.ofMinutes(10);
    private Path labDir;
    private Integer portBase;

    public Builder hosts(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("hosts must be >= 1: " + n);
      }
      this.hosts = n;
      return this;
    }

    public Builder profile(String profile) {
      this.profile = requireProfile(profile);
      return this;
    }

    /** Adds {@code n} more hosts of another profile, numbered after the previous ones. */
    public Builder and(String profile, int n) {
      if (n < 1) {
        throw new IllegalArgumentException("hosts must be >= 1: " + n);
      }
      extra.add(new Group(requireProfile(profile), n));
      return this;
    }

    /** Where the fleet keeps its state; by default a fresh dir under /var/tmp. */
    public Builder labDir(Path dir) {
      this.labDir = dir;
      return this;
    }

    /** Host N listens on portBase+N; by default a free block between 10000 and the ephemeral range is picked. */
    public Builder portBase(int base) {
      if (base < 1024 || base > 65000) {
        throw new IllegalArgumentException("portBase must be in 1024..65000: " + base);
      }
      this.portBase = base;
      return this;
    }

    /** How long {@code lab up} may take (a cold bulk repository build takes about a minute). */
    public Builder upTimeout(Duration timeout) {
      this.upTimeout = timeout;
      return this;
    }

    public LabFleet build() {
      groups = new ArrayList<>();
      groups.add(new Group(profile, hosts));
      groups.addAll(extra);
      int total = groups.stream().mapToInt(Group::hosts).sum();
      if (total >= REPO_OFFSET) {
        throw new IllegalArgumentException("at most " + (REPO_OFFSET - 1) + " hosts: " + total);
      }
      return new LabFleet(this);
    }

    private static String requireProfile(String p) {
      if (!List.of("demo", "bulk", "quirks").contains(p)) {
        throw new IllegalArgumentException("unknown profile '" + p + "' (demo, bulk, quirks)");
      }
      return p;
    }
  }

  // ------------------------------------------------------------------ JUnit

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> reason = unavailableReason();
    return reason.map(r -> ConditionEvaluationResult.disabled("lab fleet unavailable: " + r))
        .orElseGet(() -> ConditionEvaluationResult.enabled("lab fleet can run here"));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<String> reason = unavailableReason();
    Assumptions.assumeTrue(reason.isEmpty(),
        () -> "lab fleet unavailable: " + reason.orElse(""));
    labDir = requestedLabDir.orElseGet(() -> Path.of("/var/tmp",
        "patchloop-lab-junit-" + ProcessHandle.current().pid() + "-" + fleets.incrementAndGet()));
    portBase = requestedPortBase.orElseGet(() -> freePortBlock(totalHosts()));
    repoPort = portBase + REPO_OFFSET;
    shutdownHook = new Thread(this::downQuietly, "lab-fleet-down");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    int first = 1;
    long started = System.nanoTime();
    for (Group g : groups) {
      Result r = lab(upTimeout, "up", Integer.toString(g.hosts()), "--profile", g.profile(), "--first",
          Integer.toString(first));
      if (!r.ok()) {
        throw new IllegalStateException("lab up failed (exit " + r.exitCode() + ") in " + labDir + ":\n"
            + r.stdout() + r.stderr());
      }
      first += g.hosts();
    }
    hosts = readHosts();
    log.info("lab fleet of {} hosts up in {} ms ({}; ports {}+N, repo {})", hosts.size(),
        (System.nanoTime() - started) / 1_000_000, labDir, portBase, repoPort);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (labDir == null) {
      return;
    }
    if (Boolean.getBoolean("patchloop.lab.keep")) {
      log.warn("patchloop.lab.keep=true: fleet left running; remove it with LAB_DIR={} {} down", labDir, script);
      return;
    }
    down();
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway and finds nothing left to do
      }
    }
  }

  // ------------------------------------------------------------------ API

  public List<Host> hosts() {
    return hosts;
  }

  public Host host(int index) {
    return hosts.stream().filter(h -> h.index() == index).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no host " + index + " in " + hosts.stream()
            .map(Host::index).toList()));
  }

  /** Hosts of {@code profile} whose intended state is {@code state}. */
  public List<Host> hosts(String profile, String state) {
    return hosts.stream().filter(h -> h.profile().equals(profile) && h.intendedState().equals(state)).toList();
  }

  /** The first host of {@code profile} in {@code state}; fails when the fleet has none. */
  public Host hostIn(String profile, String state) {
    return hosts(profile, state).stream().findFirst().orElseThrow(() -> new IllegalStateException(
        "fleet has no " + profile + " host in state " + state + "; add hosts so the state cycle reaches it"));
  }

  public Path keyPath() {
    return labDir.resolve("client").resolve("id_ed25519");
  }

  public Path labDir() {
    return labDir;
  }

  public int portBase() {
    return portBase;
  }

  public int repoPort() {
    return repoPort;
  }

  /** The profile's manifest.json: advisories, packages, and what each state must show. */
  public synchronized JsonNode manifest(String profile) {
    return manifests.computeIfAbsent(profile, p -> {
      Path m = hosts.stream().filter(h -> h.profile().equals(p)).findFirst()
          .map(Host::manifest).orElseThrow(() -> new IllegalArgumentException("no " + p + " host in the fleet"));
      try {
        return json.readTree(m.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + m, e);
      }
    });
  }

  /** What {@code profile}'s manifest expects of a host in {@code state}. */
  public JsonNode expected(String profile, String state) {
    JsonNode s = manifest(profile).path("states").path(state);
    if (s.isMissingNode()) {
      throw new IllegalArgumentException("manifest of " + profile + " has no state " + state);
    }
    return s;
  }

  /**
   * Runs {@code command} (a shell command line) as root on host {@code index}, over SSH. Fails
   * (non-zero exit, a message on stderr) on a host without sshd; use {@link #exec} there.
   */
  public Result ssh(int index, String command) {
    return ssh(index, command, Duration.ofMinutes(2));
  }

  public Result ssh(int index, String command, Duration timeout) {
    host(index);
    return lab(timeout, "ssh", Integer.toString(index), command);
  }

  /** Really restarts the host: new pid namespace, new boot time, newest installed kernel. */
  public void reboot(int index) {
    checked("reboot", index);
  }

  /** Stops the host: its sshd and namespaces are gone, its port refuses connections. */
  public void stop(int index) {
    checked("stop", index);
  }

  public void start(int index) {
    checked("start", index);
  }

  /**
   * Runs {@code command} (a shell command line, through {@code sh -c}) as root inside host {@code
   * index} without SSH ({@code lab exec}): works on every running host, also on agent hosts.
   */
  public Result exec(int index, String command) {
    return exec(index, command, Duration.ofMinutes(2));
  }

  public Result exec(int index, String command, Duration timeout) {
    host(index);
    return lab(timeout, "exec", Integer.toString(index), "sh", "-c", command);
  }

  /**
   * Installs the Patchloop agent on host {@code index} with {@code infra/agent/install.sh} and
   * boots the host with the agent instead of sshd ({@code lab agent-install}): afterwards the host
   * has no inbound SSH, its agent connects to {@code temporalTarget} (host:port) as Patchloop host
   * {@code hostId}, and the host's {@code reboot} brings the agent back. The host's log is {@link
   * #agentLog}.
   */
  public void installAgent(int index, Path jar, String temporalTarget, long hostId, int reportIntervalSeconds) {
    host(index);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("no agent jar at " + jar);
    }
    if (hostId < 1) {
      throw new IllegalArgumentException("hostId must be positive: " + hostId);
    }
    if (reportIntervalSeconds < 1) {
      throw new IllegalArgumentException("reportIntervalSeconds must be positive: " + reportIntervalSeconds);
    }
    checked(Duration.ofMinutes(3), "agent-install", Integer.toString(index), "--jar", jar.toAbsolutePath().toString(),
        "--temporal", temporalTarget, "--host-id", Long.toString(hostId),
        "--report-interval", Integer.toString(reportIntervalSeconds));
    hosts = readHosts();
  }

  /** SIGKILLs the agent's process tree on host {@code index}, like a crash; it stays gone. */
  public void killAgent(int index) {
    checked("agent-kill", index);
  }

  /** Starts the agent of host {@code index} again (after {@link #killAgent}). */
  public void startAgent(int index) {
    checked("agent-start", index);
  }

  /** The agent's output on host {@code index} ({@code /var/log/patchloop-agent.log}), "" if none yet. */
  public String agentLog(int index) {
    host(index);
    Path file = labDir.resolve("hosts").resolve(Integer.toString(index))
        .resolve("root/var/log/patchloop-agent.log");
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Whether the host is running now, per {@code lab list --json}. */
  public boolean running(int index) {
    host(index);
    for (JsonNode n : listJson()) {
      if (n.path("index").asInt() == index) {
        return n.path("running").asBoolean();
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ internals

  private int totalHosts() {
    return groups.stream().mapToInt(Group::hosts).sum();
  }

  private void checked(String command, int index) {
    host(index);
    checked(Duration.ofMinutes(2), command, Integer.toString(index));
  }

  private void checked(Duration timeout, String... args) {
    Result r = lab(timeout, args);
    if (!r.ok()) {
      throw new IllegalStateException("lab " + String.join(" ", args) + " failed (exit " + r.exitCode() + "): "
          + r.stderr() + r.stdout());
    }
  }

  private List<Host> readHosts() {
    List<Host> out = new ArrayList<>();
    for (JsonNode n : listJson()) {
      List<String> services = new ArrayList<>();
      n.path("services").forEach(s -> services.add(s.asText()));
      if (services.isEmpty()) {
        services.add("sshd");  // a lab script from before services existed
      }
      out.add(new Host(n.path("index").asInt(), n.path("name").asText(), n.path("address").asText(),
          n.path("port").asInt(), n.path("flavour").asText(), n.path("osFamily").asText(), n.path("osId").asText(),
          n.path("osVersion").asText(), n.path("profile").asText(), n.path("intendedState").asText(),
          Path.of(n.path("keyPath").asText()), Path.of(n.path("manifest").asText()), services));
    }
    return Collections.unmodifiableList(out);
  }

  private JsonNode listJson() {
    Result r = lab(Duration.ofSeconds(30), "list", "--json");
    if (!r.ok()) {
      throw new IllegalStateException("lab list --json failed: " + r.stderr());
    }
    try {
      return json.readTree(r.stdout());
    } catch (IOException e) {
      throw new IllegalStateException("lab list --json printed no JSON: " + r.stdout(), e);
    }
  }

  private void down() {
    Result r = lab(Duration.ofMinutes(2), "down");
    if (!r.ok()) {
      throw new IllegalStateException("lab down failed in " + labDir + ": " + r.stderr() + r.stdout());
    }
    labDir = null;
  }

  private void downQuietly() {
    if (labDir == null) {
      return;
    }
    try {
      down();
    } catch (RuntimeException e) {
      log.warn("lab down at JVM exit failed: {}", e.getMessage());
    }
  }

  private Result lab(Duration timeout, String... args) {
    return runLab(script(), labDir, portBase, repoPort, timeout, args);
  }

  /**
   * Runs the lab script with its own state dir and ports, for tools (benchmarks, demos) that drive
   * a fleet without JUnit; the extension itself runs every lab command through here.
   */
  public static Result runLab(Path script, Path labDir, int portBase, int repoPort, Duration timeout, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(script.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.put("LAB_DIR", labDir.toString());
    env.put("LAB_PORT_BASE", Integer.toString(portBase));
    env.put("LAB_REPO_PORT", Integer.toString(repoPort));
    try {
      Process p = pb.start();
      CompletableFuture<String> out = readAsync(p.getInputStream());
      CompletableFuture<String> err = readAsync(p.getErrorStream());
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("lab " + String.join(" ", args) + " timed out after " + timeout);
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running lab " + String.join(" ", args), e);
    }
  }

  private static CompletableFuture<String> readAsync(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private synchronized Path script() {
    if (script == null) {
      script = findScript().orElseThrow(() -> new IllegalStateException(
          SCRIPT_IN_REPO + " not found in " + Path.of("").toAbsolutePath() + " or any parent"));
    }
    return script;
  }

  /** Maven runs tests in the module dir; the script lives at the repository root. */
  /** infra/testhosts/lab in the working directory or the nearest parent that has it. */
  public static Optional<Path> findScript() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path s = d.resolve(SCRIPT_IN_REPO);
      if (Files.isRegularFile(s)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** Why the lab cannot run on this machine, or empty when it can. */
  static Optional<String> unavailableReason() {
    String os = System.getProperty("os.name", "");
    if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
      return Optional.of("not Linux (" + os + ")");
    }
    Optional<Integer> uid = uid();
    if (uid.isPresent() && uid.get() != 0) {
      return Optional.of("not root (uid " + uid.get() + "); the lab needs namespaces, chroot and mounts");
    }
    Optional<Path> s = findScript();
    if (s.isEmpty()) {
      return Optional.of(SCRIPT_IN_REPO + " not found in " + Path.of("").toAbsolutePath() + " or any parent");
    }
    try {
      Process p = new ProcessBuilder(s.get().toString(), "check").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.of("lab check did not finish in 30 s");
      }
      return p.exitValue() == 0 ? Optional.empty() : Optional.of(out.replace('\n', ';'));
    } catch (IOException e) {
      return Optional.of("cannot run " + s.get() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while checking the lab");
    }
  }

  private static Optional<Integer> uid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Optional.of(Integer.parseInt(line.split("\\s+")[1]));
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through: lab check reports it
    }
    return Optional.empty();
  }

  /** A block of ports, free now, for the hosts and the repo server; spread by pid across JVMs. */
  /**
   * A block of free ports for the lab's sshds and repo, below the kernel's ephemeral range: a port
   * in that range can be taken by any outgoing connection (a database or gRPC client of the test
   * itself) between this check and the moment a lab sshd binds it, which once failed a whole test
   * class with "Address already in use".
   */
  static int freePortBlock(int hosts) {
    long pid = ProcessHandle.current().pid();
    int low = 10_000;
    int blocks = Math.max(1, (ephemeralLow() - 100 - low) / 100);
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = low + (int) ((pid + attempt * 7L) % blocks) * 100;
      boolean free = isFree(base + REPO_OFFSET);
      for (int n = 1; free && n <= hosts; n++) {
        free = isFree(base + n);
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free block of " + (hosts + 1) + " ports between " + low + " and "
        + ephemeralLow());
  }

  /** The first port of the kernel's ephemeral range (32768 on Linux unless configured otherwise). */
  static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
      int low = Integer.parseInt(range.split("\\s+")[0]);
      return low > 10_200 ? low : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("labDir", labDir);
    m.put("portBase", portBase);
    m.put("hosts", hosts.size());
    return "LabFleet" + m;
  }
}
