package io.patchloop.collect;

import io.patchloop.hostaccess.CommandResult;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.LocalHostSession;
import io.patchloop.hostaccess.ShellCommand;
import io.patchloop.hostaccess.StdoutReader;
import io.patchloop.hostaccess.StreamedResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Peak heap and time of the collector's heavy part since the fast scans: reading and parsing one
 * large updateinfo file whole ({@link UpdateInfoFetch}, once per fleet for each file no host sent
 * before), against the file's size, through the real classes: a local session runs {@code cat} of a
 * synthetic RHEL-like updateinfo.xml ({@link SyntheticHost}) for the read command, the fetch streams
 * it through the checksum and the parser. The probe's output is small (no updateinfo in it) and is
 * not measured. Each case runs in a child JVM with its own {@code -Xmx}: it passes, or fails with
 * OutOfMemoryError. Peak heap is the sum of the heap pools' peaks after a GC and a reset. Not part
 * of the normal suite; run it with {@code -Dpatchloop.bench=collector-memory}.
 */
class CollectorMemoryBenchmark {

  @Test
  @EnabledIfSystemProperty(named = "patchloop.bench", matches = "collector-memory")
  void peakHeapAgainstUpdateInfoSize() throws Exception {
    Path dir = Files.createTempDirectory("pl-collector-bench");
    List<String[]> cases = new ArrayList<>();
    for (int mb : new int[] {5, 20, 60, 200}) {
      cases.add(new String[] {String.valueOf(mb), "1", "-Xmx1g"});
    }
    cases.add(new String[] {"60", "4", "-Xmx1g"});
    // the agent: its default heap, its two concurrent steps, a file just under its 64 MiB cap
    cases.add(new String[] {"63", "2", "-Xmx160m"});
    System.out.println("| updateinfo | files parsed at once | heap limit | result | peak heap | time |");
    System.out.println("|---|---|---|---|---|---|");
    for (String[] c : cases) {
      Path file = dir.resolve(c[0] + "mb.xml");
      if (!Files.exists(file)) {
        SyntheticHost.writeUpdateInfo(file, Long.parseLong(c[0]) * 1_000_000, 1_500, 600);
      }
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), c[2],
          "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), CollectorMemoryBenchmark.class.getName(),
          file.toString(), c[1]).redirectErrorStream(true).start();
      String last = "no answer | - | -";
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("RESULT ") || line.contains("OutOfMemoryError")) {
            last = line.startsWith("RESULT ") ? line.substring(7) : "FAIL (OutOfMemoryError) | - | -";
          }
        }
      }
      child.waitFor();
      System.out.printf("| %s MB | %s | %s | %s |%n", c[0], c[1], c[2], last);
    }
  }

  /** The child: {@code <file> <fetches at once>}; prints {@code RESULT PASS | <peak> MiB | <ms> ms}. */
  public static void main(String[] args) {
    try {
      child(args);
      System.exit(0);
    } catch (Throwable e) { // an OutOfMemoryError in a reader thread arrives wrapped; name the root
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      System.out.printf("RESULT FAIL (%s) | - | -%n", root.getClass().getSimpleName());
      System.exit(1); // the fetch threads may still hold the JVM
    }
  }

  private static void child(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int fetches = Integer.parseInt(args[1]);
    String checksum = "sha256:" + HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    resetPeaks();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(fetches);
    List<Future<UpdateInfoFetch.Fetched>> done = new ArrayList<>();
    for (int i = 0; i < fetches; i++) {
      done.add(pool.submit(() -> UpdateInfoFetch.fetch(new CatSession(file), "/var/cache/dnf/bench/u.xml", checksum,
          "bench", entry -> true))); // the workers' case: the whole file; the agent keeps only its host's entries
    }
    long entries = 0;
    for (Future<UpdateInfoFetch.Fetched> f : done) {
      UpdateInfoFetch.Fetched fetched = f.get();
      if (fetched.file() == null) { // a file past the output cap, as on a worker
        System.out.printf("RESULT REFUSED (%s) | %d MiB | %d ms%n", fetched.unusable(), peakHeap() >> 20,
            (System.nanoTime() - start) / 1_000_000);
        return;
      }
      entries = fetched.file().packageEntries();
    }
    pool.shutdown();
    System.out.printf("RESULT PASS (%,d package entries each) | %d MiB | %d ms%n", entries, peakHeap() >> 20,
        (System.nanoTime() - start) / 1_000_000);
  }

  /** A local session with the workers' default output cap (64 MiB) that answers the read command with {@code cat} of one file. */
  private record CatSession(Path file) implements HostSession {

    @Override
    public CommandResult run(ShellCommand command, Duration timeout) {
      throw new UnsupportedOperationException("only the streamed read");
    }

    @Override
    public <T> StreamedResult<T> stream(ShellCommand command, Duration timeout, StdoutReader<T> reader) {
      ShellCommand cat = ShellCommand.of("cat").value(file.toString(), Pattern.compile("[/A-Za-z0-9._-]+"), "file").build();
      return new LocalHostSession(64 << 20).stream(cat, timeout, reader);
    }

    @Override
    public void close() {}
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
