package io.patchloop.collect;

import io.patchloop.hostaccess.CommandResult;
import io.patchloop.hostaccess.LocalHostSession;
import io.patchloop.hostaccess.ShellCommand;
import io.patchloop.inventory.HostInventory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Peak heap of host scans against the collector's output size, through the real classes: a local
 * session runs {@code cat} of a synthetic RHEL-like output ({@link SyntheticCollectorOutput}) and the
 * collector reads it, streamed ({@code stream}: {@link LocalHostSession#stream} and
 * {@link CollectorOutput#read}) or held whole as before ({@code buffered}: {@code run}, then
 * {@link CollectorOutput#split}). Each case runs in a child JVM with its own {@code -Xmx}: it passes,
 * or fails with OutOfMemoryError. Peak heap is the sum of the heap pools' peaks after a GC and a reset.
 * Not part of the normal suite; run it with {@code -Dpatchloop.bench=collector-memory}.
 */
class CollectorMemoryBenchmark {

  @Test
  @EnabledIfSystemProperty(named = "patchloop.bench", matches = "collector-memory")
  void peakHeapAgainstOutputSize() throws Exception {
    Path dir = Files.createTempDirectory("pl-collector-bench");
    List<String[]> cases = new ArrayList<>();
    for (int mb : new int[] {5, 20, 60}) {
      for (String mode : new String[] {"buffered", "stream"}) {
        cases.add(new String[] {mode, String.valueOf(mb), "1", "-Xmx1g"});
      }
    }
    cases.add(new String[] {"buffered", "60", "5", "-Xmx1g"});
    cases.add(new String[] {"stream", "60", "5", "-Xmx1g"});
    // the agent: its default heap, its two concurrent steps, an output just under its 64 MiB cap
    cases.add(new String[] {"buffered", "63", "1", "-Xmx160m"});
    cases.add(new String[] {"stream", "63", "2", "-Xmx160m"});
    System.out.println("| path | output | scans at once | heap limit | result | peak heap |");
    System.out.println("|---|---|---|---|---|---|");
    for (String[] c : cases) {
      Path file = dir.resolve(c[1] + "mb.out");
      if (!Files.exists(file)) {
        SyntheticCollectorOutput.write(file, Long.parseLong(c[1]) * 1_000_000, 1_500, 600);
      }
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), c[3],
          "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), CollectorMemoryBenchmark.class.getName(),
          c[0], file.toString(), c[2]).redirectErrorStream(true).start();
      String last = "no answer";
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("RESULT ") || line.contains("OutOfMemoryError")) {
            last = line.startsWith("RESULT ") ? line.substring(7) : "FAIL (OutOfMemoryError) | -";
          }
        }
      }
      child.waitFor();
      System.out.printf("| %s | %s MB | %s | %s | %s |%n", c[0], c[1], c[2], c[3], last);
    }
  }

  /** The child: {@code <mode> <file> <scans at once>}; prints {@code RESULT PASS | <peak> MiB}. */
  public static void main(String[] args) {
    try {
      child(args);
      System.exit(0);
    } catch (Throwable e) { // an OutOfMemoryError in a reader thread arrives wrapped; name the root
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      System.out.printf("RESULT FAIL (%s) | -%n", root.getClass().getSimpleName());
      System.exit(1); // the scan threads may still hold the JVM
    }
  }

  private static void child(String[] args) throws Exception {
    String mode = args[0];
    Path file = Path.of(args[1]);
    int scans = Integer.parseInt(args[2]);
    ShellCommand cat = ShellCommand.of("cat").value(file.toString(), Pattern.compile("[/A-Za-z0-9._-]+"), "file").build();
    resetPeaks();
    ExecutorService pool = Executors.newFixedThreadPool(scans);
    List<Future<HostInventory>> done = new ArrayList<>();
    for (int i = 0; i < scans; i++) {
      done.add(pool.submit(() -> scan(mode, cat)));
    }
    int advisories = 0;
    for (Future<HostInventory> f : done) {
      advisories = f.get().advisories().size();
    }
    pool.shutdown();
    System.out.printf("RESULT PASS (%d advisories) | %d MiB%n", advisories, peakHeap() >> 20);
  }

  private static HostInventory scan(String mode, ShellCommand cat) throws Exception {
    LocalHostSession session = new LocalHostSession(64 << 20);
    if (mode.equals("buffered")) {
      CommandResult r = session.run(cat, Duration.ofMinutes(5));
      return RpmCollector.parse(CollectorOutput.split(r.stdout(), SyntheticCollectorOutput.NONCE));
    }
    var r = session.stream(cat, Duration.ofMinutes(5), in -> CollectorOutput.read(in, SyntheticCollectorOutput.NONCE));
    r.value().requireEnd();
    return RpmCollector.parse(r.value());
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
