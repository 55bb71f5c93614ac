package io.patchloop.compliance.bench;

import io.patchloop.baselines.ApprovalRule;
import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.baselines.RejectedPatchesAction;
import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import io.patchloop.compliance.ComplianceEngine;
import io.patchloop.compliance.ComplianceStatus;
import io.patchloop.compliance.HostCompliance;
import io.patchloop.compliance.PatchState;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.rpm.Evr;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

/**
 * Evaluates synthetic hosts against one baseline and prints throughput and peak heap.
 *
 * <p>Defaults: 10,000 hosts, ~1,000 installed packages each, 2,000 advisories shared by all hosts (1-3 packages each),
 * a baseline with 3 rules, approved and rejected patches. Every host is generated deterministically from a fixed seed
 * and its index, so the states vary between hosts but not between runs. Hosts are generated in batches (not timed)
 * and evaluated batch by batch, so the heap holds one batch of inventories at a time, as a worker would.
 *
 * <p>Args (all optional): {@code hosts packagesPerHost advisories threads}.
 */
public final class EngineBenchmark {

  static final long SEED = 20250615L;
  static final Instant NOW = Instant.parse("2025-06-15T12:00:00Z");
  static final int BATCH = 500;
  static final int WARMUP_HOSTS = 1000;
  static final int NAIVE_HOSTS = 50;

  final int hosts;
  final int packagesPerHost;
  final int advisoryCount;
  final int threads;
  final int names; // package-name universe: each host installs all but a tenth of it
  final Evr[][] versions; // per package name: releases 1..6
  final Evr[] kernels; // kernel-core releases 1..8
  final String[] nameCache;
  final List<Advisory> advisories;
  final Baseline baseline;
  final boolean[] rejectedName; // names a fully patched host leaves out, so that it can be compliant

  EngineBenchmark(int hosts, int packagesPerHost, int advisoryCount, int threads) {
    this.hosts = hosts;
    this.packagesPerHost = packagesPerHost;
    this.advisoryCount = advisoryCount;
    this.threads = threads;
    this.names = packagesPerHost + packagesPerHost / 10;
    this.versions = new Evr[names][7];
    for (int i = 0; i < names; i++) {
      for (int r = 1; r <= 6; r++) {
        versions[i][r] = new Evr(i % 17 == 0 ? 1 : 0, "1." + (i % 7) + "." + (i % 13), r + ".hce2");
      }
    }
    this.nameCache = new String[names];
    for (int i = 0; i < names; i++) {
      nameCache[i] = name(i);
    }
    this.kernels = new Evr[9];
    for (int k = 1; k <= 8; k++) {
      kernels[k] = new Evr(0, "5.10.0", "60." + k + ".0." + (k * 10) + ".hce2");
    }
    this.advisories = advisories();
    this.baseline = baseline();
    this.rejectedName = new boolean[names];
    Set<String> rejectedIds = new HashSet<>(baseline.rejectedPatches());
    for (int i = 0; i < names; i++) {
      rejectedName[i] = i < 100 || i == 500 || nameCache[i].matches("pkg-1.33");
    }
    for (Advisory a : advisories) {
      if (rejectedIds.contains(a.id())) {
        for (AdvisoryPackage e : a.packages()) {
          if (e.name().startsWith("pkg-")) {
            rejectedName[Integer.parseInt(e.name().substring(4))] = true;
          }
        }
      }
    }
  }

  static String name(int i) {
    return String.format(Locale.ROOT, "pkg-%04d", i);
  }

  static String arch(int i) {
    return i % 20 == 0 ? "noarch" : "x86_64";
  }

  /** Every 50th name is multilib: installed as x86_64 and i686. */
  static boolean multilib(int i) {
    return i % 50 == 1;
  }

  static String advisoryId(int a) {
    return String.format(Locale.ROOT, "HCE2-SA-2025-%04d", a);
  }

  private List<Advisory> advisories() {
    Random rnd = new Random(SEED);
    PatchCategory[] categories = PatchCategory.values();
    PatchSeverity[] severities = PatchSeverity.values();
    List<Advisory> out = new ArrayList<>(advisoryCount);
    for (int a = 0; a < advisoryCount; a++) {
      List<AdvisoryPackage> pkgs = new ArrayList<>(3);
      boolean kernel = rnd.nextInt(20) == 0;
      if (kernel) {
        pkgs.add(new AdvisoryPackage("kernel-core", kernels[2 + rnd.nextInt(7)], "x86_64"));
      } else {
        int n = 1 + rnd.nextInt(3);
        Set<Integer> picked = new HashSet<>();
        while (picked.size() < n) {
          picked.add(rnd.nextInt(names));
        }
        for (int i : picked) {
          Evr fixed = versions[i][2 + rnd.nextInt(4)];
          pkgs.add(new AdvisoryPackage(nameCache[i], fixed, arch(i)));
          if (multilib(i)) {
            pkgs.add(new AdvisoryPackage(nameCache[i], fixed, "i686"));
          }
        }
      }
      PatchCategory category = rnd.nextInt(20) == 0 ? null : categories[rnd.nextInt(categories.length)];
      Instant issued = rnd.nextInt(100) == 0 ? null : NOW.minus(Duration.ofMinutes(rnd.nextInt(400 * 24 * 60)));
      out.add(new Advisory(advisoryId(a), "advisory " + a,
          category == null ? "unspecified" : category.name().toLowerCase(Locale.ROOT), category,
          severities[rnd.nextInt(severities.length)], issued, List.copyOf(pkgs), List.of("CVE-2025-" + a),
          kernel || rnd.nextInt(10) == 0));
    }
    return List.copyOf(out);
  }

  private Baseline baseline() {
    List<String> all = List.of(ApprovalRule.ALL);
    List<ApprovalRule> rules = List.of(
        new ApprovalRule(List.of("HCE 2.0"), List.of("SECURITY"), List.of("CRITICAL", "IMPORTANT"), 7, null,
            ComplianceLevel.CRITICAL),
        new ApprovalRule(all, List.of("SECURITY", "BUGFIX"), all, 30, null, ComplianceLevel.MEDIUM),
        new ApprovalRule(all, all, all, null, LocalDate.of(2024, 10, 1), ComplianceLevel.LOW));
    List<String> approved = new ArrayList<>();
    for (int a = 0; a < advisoryCount; a += 40) {
      approved.add(advisoryId(a));
    }
    List<String> rejected = new ArrayList<>();
    for (int a = 7; a < advisoryCount; a += 200) {
      rejected.add(advisoryId(a));
    }
    rejected.add("pkg-00*");
    rejected.add("pkg-1?33");
    rejected.add("pkg-0500");
    return new Baseline(1, "bench", null, Scenario.ECS, OsFamily.values()[0], rules, approved,
        ComplianceLevel.HIGH, rejected, RejectedPatchesAction.BLOCK, true, false, NOW, NOW);
  }

  /**
   * One host, a pure function of its index. Every 50th host is fully patched (newest versions, running its newest
   * kernel, nothing installed since boot, no rejected package), so that some hosts are compliant.
   */
  HostInventory host(int h) {
    Random rnd = new Random(SEED * 31 + h);
    boolean patched = h % 50 == 7;
    Instant boot = NOW.minus(Duration.ofMinutes(rnd.nextInt(60 * 24 * 60)));
    List<InstalledPackage> pkgs = new ArrayList<>(packagesPerHost + 32);
    int k0 = patched ? 8 : 1 + rnd.nextInt(5);
    int nk = patched ? 1 : 1 + rnd.nextInt(3);
    for (int k = k0; k < k0 + nk; k++) {
      pkgs.add(new InstalledPackage("kernel-core", kernels[k], "x86_64", installedAt(rnd, boot, patched)));
    }
    int running = patched || rnd.nextInt(4) != 0 ? k0 + nk - 1 : k0;
    int skip = rnd.nextInt(11);
    for (int i = 0; i < names && pkgs.size() < packagesPerHost; i++) {
      if (i % 11 == skip || (patched && rejectedName[i])) {
        continue; // a tenth of the universe is not installed on this host
      }
      Evr evr = versions[i][patched ? 6 : 1 + rnd.nextInt(6)];
      // A fresh copy per host, as a deserialized inventory would have (no shared instance, no cached hash).
      String n = new String(nameCache[i]);
      pkgs.add(new InstalledPackage(n, evr, arch(i), installedAt(rnd, boot, patched)));
      if (multilib(i)) {
        pkgs.add(new InstalledPackage(n, evr, "i686", installedAt(rnd, boot, patched)));
      }
    }
    String product = h % 10 == 0 ? "CentOS 7" : "HCE 2.0";
    return new HostInventory("hce", "2.0", product, "5.10.0-" + kernels[running].release() + ".x86_64", boot,
        pkgs, Set.of("kernel", "kernel-core"), advisories, null, null);
  }

  private static Instant installedAt(Random rnd, Instant boot, boolean beforeBoot) {
    return !beforeBoot && rnd.nextInt(10) == 0 ? boot.plusSeconds(1 + rnd.nextInt(86_400)) : boot.minusSeconds(1 + rnd.nextInt(8_640_000));
  }

  Set<String> failed(int h) {
    Random rnd = new Random(SEED * 17 + h);
    return Set.of(advisoryId(rnd.nextInt(advisoryCount / 2)), advisoryId(advisoryCount / 2 + rnd.nextInt(advisoryCount / 2)));
  }

  // ------------------------------------------------------------------------------------------------

  /** Totals of one pass, to print and to compare between passes. */
  static final class Totals {
    final AtomicLongArray byState = new AtomicLongArray(PatchState.values().length);
    final AtomicLongArray other = new AtomicLongArray(2); // [0] non-compliant hosts, [1] checksum of baseline work

    void add(HostCompliance hc) {
      hc.countsByState().forEach((s, n) -> byState.addAndGet(s.ordinal(), n));
      if (hc.status() == ComplianceStatus.NON_COMPLIANT) {
        other.incrementAndGet(0);
      }
    }

    String states() {
      StringBuilder sb = new StringBuilder();
      for (PatchState s : PatchState.values()) {
        sb.append(String.format(Locale.ROOT, "%s=%,d ", s, byState.get(s.ordinal())));
      }
      return sb.toString().trim();
    }
  }

  record Row(String what, int hosts, double seconds, double hostsPerSecond, long peakHeap, String note) {}

  interface HostWork {
    void run(int hostIndex, HostInventory inventory);
  }

  /** Runs {@code work} over hosts [0, n), batch by batch; returns the evaluation seconds (generation excluded). */
  double timed(int n, boolean parallel, HostWork work, double[] generationSeconds) {
    double seconds = 0;
    HostInventory[] batch = new HostInventory[BATCH];
    ForkJoinPool pool = parallel ? new ForkJoinPool(threads) : null;
    try {
      for (int start = 0; start < n; start += BATCH) {
        int size = Math.min(BATCH, n - start);
        long g0 = System.nanoTime();
        for (int i = 0; i < size; i++) {
          batch[i] = host(start + i);
        }
        if (generationSeconds != null) {
          generationSeconds[0] += (System.nanoTime() - g0) / 1e9;
        }
        int base = start;
        long t0 = System.nanoTime();
        if (parallel) {
          pool.submit(() -> IntStream.range(0, size).parallel().forEach(i -> work.run(base + i, batch[i]))).join();
        } else {
          for (int i = 0; i < size; i++) {
            work.run(base + i, batch[i]);
          }
        }
        seconds += (System.nanoTime() - t0) / 1e9;
      }
    } finally {
      if (pool != null) {
        pool.shutdown();
      }
    }
    return seconds;
  }

  /** The reference: only build each host's installed-package index (name to highest version per arch). */
  static long indexOnly(HostInventory inv) {
    Map<String, Evr> index = new HashMap<>(inv.packages().size() * 2);
    for (InstalledPackage p : inv.packages()) {
      index.merge(p.name() + '.' + p.arch(), p.evr(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }
    return index.size();
  }

  /** A naive scan: for every advisory entry, walk the whole package list (relevance and installed only). */
  static long naive(HostInventory inv) {
    long installed = 0;
    for (Advisory a : inv.advisories()) {
      boolean relevant = false;
      boolean ok = true;
      for (AdvisoryPackage e : a.packages()) {
        Evr highest = null;
        for (InstalledPackage p : inv.packages()) {
          if (p.name().equals(e.name()) && p.arch().equals(e.arch())
              && (highest == null || p.evr().compareTo(highest) > 0)) {
            highest = p.evr();
          }
        }
        if (highest != null) {
          relevant = true;
          ok &= highest.compareTo(e.evr()) >= 0;
        }
      }
      if (relevant && ok) {
        installed++;
      }
    }
    return installed;
  }

  static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** Sum over heap pools of each pool's peak: an upper bound of the true peak (pools peak at different times). */
  static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  void run() {
    ComplianceEngine engine = new ComplianceEngine();
    long avgPackages = 0;
    for (int h = 0; h < 20; h++) {
      avgPackages += host(h).packages().size();
    }
    System.out.printf(Locale.ROOT, "EngineBenchmark: %,d hosts x ~%,d installed packages (sample avg %,d) x %,d advisories;"
            + " %d CPUs, %d threads for the parallel pass, -Xmx %,d MiB, Java %s%n",
        hosts, packagesPerHost, avgPackages / 20, advisoryCount, Runtime.getRuntime().availableProcessors(), threads,
        Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));

    // Warm-up on a subset, every code path.
    ComplianceEngine.Prepared warm = engine.prepare(baseline, NOW);
    long sink = 0;
    for (int h = 0; h < Math.min(WARMUP_HOSTS, hosts); h++) {
      HostInventory inv = host(h);
      sink += indexOnly(inv);
      sink += warm.evaluate(inv, failed(h)).patches().size();
      sink += engine.evaluate(inv, baseline, NOW, failed(h)).patches().size();
      if (h < 20) {
        sink += naive(inv);
      }
    }

    List<Row> rows = new ArrayList<>();
    double[] generation = {0};

    resetPeaks();
    long[] indexSink = {0};
    double tIndex = timed(hosts, false, (h, inv) -> indexSink[0] += indexOnly(inv), generation);
    rows.add(new Row("reference: build installed index only", hosts, tIndex, hosts / tIndex, peakHeap(),
        "HashMap name.arch -> highest Evr"));

    resetPeaks();
    Totals single = new Totals();
    double tEval = timed(hosts, false, (h, inv) -> single.add(engine.evaluate(inv, baseline, NOW, failed(h))), null);
    rows.add(new Row("engine.evaluate(inv, baseline, ...)", hosts, tEval, hosts / tEval, peakHeap(),
        "1 thread; compiles the baseline per host"));

    resetPeaks();
    Totals prepared = new Totals();
    ComplianceEngine.Prepared p = engine.prepare(baseline, NOW);
    double tPrepared = timed(hosts, false, (h, inv) -> prepared.add(p.evaluate(inv, failed(h))), null);
    rows.add(new Row("engine.prepare(..).evaluate(inv, ...)", hosts, tPrepared, hosts / tPrepared, peakHeap(),
        "1 thread; baseline compiled once"));

    resetPeaks();
    Totals parallel = new Totals();
    ComplianceEngine.Prepared pp = engine.prepare(baseline, NOW);
    double tParallel = timed(hosts, true, (h, inv) -> parallel.add(pp.evaluate(inv, failed(h))), null);
    rows.add(new Row("prepared, parallel across hosts", hosts, tParallel, hosts / tParallel, peakHeap(),
        threads + " threads (ForkJoinPool)"));

    resetPeaks();
    int naiveHosts = Math.min(NAIVE_HOSTS, hosts);
    long[] naiveSink = {0};
    double tNaive = timed(naiveHosts, false, (h, inv) -> naiveSink[0] += naive(inv), null);
    rows.add(new Row("naive scan (relevance+installed only)", naiveHosts, tNaive, naiveHosts / tNaive, peakHeap(),
        String.format(Locale.ROOT, "O(adv x pkgs); %,.0f s extrapolated to %,d hosts", tNaive / naiveHosts * hosts,
            hosts)));

    System.out.println();
    System.out.printf(Locale.ROOT, "%-40s %8s %10s %12s %12s  %s%n", "pass", "hosts", "seconds", "hosts/s",
        "peak heap", "note");
    for (Row r : rows) {
      System.out.printf(Locale.ROOT, "%-40s %,8d %10.2f %,12.0f %,9d MiB  %s%n", r.what(), r.hosts(), r.seconds(),
          r.hostsPerSecond(), r.peakHeap() >> 20, r.note());
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "ratio engine (prepared, 1 thread) / index-only reference: %.1fx the time%n",
        tPrepared / tIndex);
    System.out.printf(Locale.ROOT, "ratio naive (extrapolated) / engine (prepared, 1 thread): %.0fx faster%n",
        (tNaive / naiveHosts) / (tPrepared / hosts));
    System.out.printf(Locale.ROOT, "host generation (not timed above): %.2f s for %,d hosts%n", generation[0], hosts);
    System.out.printf(Locale.ROOT, "non-compliant hosts: %,d of %,d%n", prepared.other.get(0), hosts);
    System.out.println("patches by state over all hosts: " + prepared.states());
    boolean same = single.states().equals(prepared.states()) && prepared.states().equals(parallel.states())
        && single.other.get(0) == prepared.other.get(0) && prepared.other.get(0) == parallel.other.get(0);
    System.out.println("all three engine passes agree: " + same + " (sink " + (sink + indexSink[0] + naiveSink[0]) + ")");
    if (!same) {
      System.exit(1);
    }
  }

  public static void main(String[] args) {
    int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int packages = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int advisories = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
    new EngineBenchmark(hosts, packages, advisories, threads).run();
  }
}
