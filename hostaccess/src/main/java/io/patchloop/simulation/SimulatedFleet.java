package io.patchloop.simulation;

import io.patchloop.collect.CollectorCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A generated fleet of HCE 2.0 hosts that all use one repository, deterministic from a seed: the
 * repository's advisory catalog ({@value #ADVISORIES} advisories, 1 to 3 packages each, served as
 * one updateinfo.xml, so the platform's catalog keeps it by checksum after the first host sent it)
 * and, from a host's address, that host's installed packages (about 1,000) and so which advisories
 * concern it (100 to 300) and which of those it is missing (older installed releases).
 *
 * <p>The answers are in the form the collector's probe, as {@code CollectorScript} runs it on a
 * real host, prints them (framed sections, {@code rpm -qa} lines, a cached repomd.xml): the
 * platform's parsers, its repository freshness rule and its catalog all run as on a real fleet.
 * The repository's metadata is always fresh (cached ten minutes before the host's clock), so no
 * scan asks for a refresh.
 *
 * <p>Package names are {@code simpkgNNNNN[-suffix]}: the first {@value #ADVISED_PACKAGES} are those
 * advisories name; a host installs 50 to 150 of them, and the rest of its packages from the others.
 */
public final class SimulatedFleet {

  public static final String REPO_ID = "sim-hce-updates";
  public static final String REPO_FILE = "/etc/yum.repos.d/sim-hce.repo";
  static final String BASEURL = "http://repo.sim.invalid/hce/2.0/updates/x86_64/";
  public static final int ADVISORIES = 2_000;
  static final int ADVISED_PACKAGES = 2_000;
  static final int PACKAGE_NAMES = 20_000;
  static final String KERNEL_VERSION = "5.10.0";
  static final String KERNEL_RELEASE = "182.0.0.95.hce2";
  /** When the simulated repository was published, and the hosts' packages installed before it. */
  static final long PUBLISHED = LocalDateTime.of(2026, 11, 1, 8, 0).toEpochSecond(ZoneOffset.UTC);
  private static final String[] SUFFIXES = {"", "-libs", "-common", "-tools", "-devel", "-utils"};
  private static final DateTimeFormatter ISSUED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** A package an advisory fixes: by its index among the package names, and the release that fixes it. */
  record Fix(int packageIndex, int release) {}

  /** One advisory of the catalog. */
  record CatalogAdvisory(String id, String type, String severity, Instant issued, List<String> cves, List<Fix> fixes) {}

  private final long seed;
  private final List<CatalogAdvisory> advisories;
  /** For each advised package, the advisories that fix it, oldest first. */
  private final List<List<Integer>> advisoriesByPackage;
  private final byte[] updateInfoXml;
  private final String updateInfoSha256;
  private final String cacheDir;
  /** Each package's name, version and arch as its rpm line starts ({@code name|(none)|version|}) and ends ({@code |arch|}). */
  private final String[] rpmLineStarts = new String[PACKAGE_NAMES];
  private final String[] rpmLineArches = new String[PACKAGE_NAMES];

  public SimulatedFleet(long seed) {
    this.seed = seed;
    for (int p = 0; p < PACKAGE_NAMES; p++) {
      rpmLineStarts[p] = name(p) + "|(none)|" + version(p) + "|";
      rpmLineArches[p] = "|" + arch(p) + "|";
    }
    Random random = new Random(seed);
    List<List<Integer>> byPackage = new ArrayList<>();
    for (int p = 0; p < ADVISED_PACKAGES; p++) {
      byPackage.add(new ArrayList<>());
    }
    List<CatalogAdvisory> generated = new ArrayList<>();
    int[] releases = new int[ADVISED_PACKAGES];
    long from = LocalDateTime.of(2022, 1, 10, 9, 0).toEpochSecond(ZoneOffset.UTC);
    long step = (PUBLISHED - 86_400 - from) / ADVISORIES;
    int[] perYear = new int[3000];
    for (int a = 0; a < ADVISORIES; a++) {
      Instant issued = Instant.ofEpochSecond(from + a * step + random.nextInt((int) Math.min(step, 86_400)));
      int year = issued.atZone(ZoneOffset.UTC).getYear();
      int roll = random.nextInt(100);
      String type = roll < 70 ? "security" : roll < 90 ? "bugfix" : "enhancement";
      int s = random.nextInt(100);
      String severity = !type.equals("security") ? "Low" : s < 10 ? "Critical" : s < 45 ? "Important" : s < 85
          ? "Moderate" : "Low";
      List<String> cves = new ArrayList<>();
      if (type.equals("security")) {
        for (int c = 1 + random.nextInt(4); c > 0; c--) {
          cves.add(String.format(Locale.ROOT, "CVE-%d-%05d", year - random.nextInt(2), 1000 + random.nextInt(50_000)));
        }
      }
      Set<Integer> packages = new TreeSet<>();
      for (int n = 1 + random.nextInt(3); packages.size() < n; ) {
        packages.add(random.nextInt(ADVISED_PACKAGES));
      }
      List<Fix> fixes = new ArrayList<>();
      for (int p : packages) {
        releases[p]++;
        fixes.add(new Fix(p, 1 + releases[p])); // the package's first release is 1; each advisory fixes the next
        byPackage.get(p).add(a);
      }
      String id = String.format(Locale.ROOT, "HCE2-SA-%d-%04d", year, ++perYear[year]);
      generated.add(new CatalogAdvisory(id, type, severity, issued, List.copyOf(new LinkedHashSet<>(cves)),
          List.copyOf(fixes)));
    }
    this.advisories = List.copyOf(generated);
    this.advisoriesByPackage = byPackage.stream().map(List::copyOf).toList();
    this.updateInfoXml = renderUpdateInfo().getBytes(StandardCharsets.UTF_8);
    this.updateInfoSha256 = sha256(updateInfoXml);
    this.cacheDir = "/var/cache/dnf/" + REPO_ID + "-" + sha256(BASEURL.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
  }

  public long seed() {
    return seed;
  }

  /** The repository's updateinfo.xml, uncompressed, as a host's {@code zcat} prints it; not to be changed. */
  byte[] updateInfoXml() {
    return updateInfoXml;
  }

  /** The catalog key of the file: {@code sha256:<hex>} of the uncompressed XML. */
  public String updateInfoChecksum() {
    return "sha256:" + updateInfoSha256;
  }

  /** Where the file lies in a simulated host's cache. */
  public String updateInfoPath() {
    return cacheDir + "/repodata/" + updateInfoSha256 + "-updateinfo.xml.gz";
  }

  /** The simulated host at this address: the same for the same seed and address. */
  public SimulatedHost host(String address) {
    Random random = new Random(seed * 1_000_003L ^ address.hashCode() * 0x9E3779B97F4A7C15L);
    List<String> rpm = new ArrayList<>();
    Set<String> applicable = new TreeSet<>();
    Set<String> missing = new TreeSet<>();
    long installTime = PUBLISHED - 30 * 86_400L - random.nextInt(300 * 86_400);
    rpm.add(rpmLine("kernel", "(none)", KERNEL_VERSION, KERNEL_RELEASE, "x86_64", installTime));
    rpm.add(rpmLine("kernel-core", "(none)", KERNEL_VERSION, KERNEL_RELEASE, "x86_64", installTime));
    Set<Integer> advised = new TreeSet<>();
    for (int n = 50 + random.nextInt(101); advised.size() < n; ) {
      advised.add(random.nextInt(ADVISED_PACKAGES));
    }
    for (int p : advised) {
      List<Integer> fixing = advisoriesByPackage.get(p);
      // installed at one of its releases: 1 (before every advisory) up to the newest (all applied)
      int release = 1 + random.nextInt(fixing.size() + 1);
      rpm.add(rpmLineStarts[p] + release + ".hce2" + rpmLineArches[p] + installTime + "\n");
      for (int a : fixing) {
        CatalogAdvisory advisory = advisories.get(a);
        applicable.add(advisory.id());
        int fixedIn = advisory.fixes().stream().filter(f -> f.packageIndex() == p).findFirst().orElseThrow().release();
        if (fixedIn > release) {
          missing.add(advisory.id());
        }
      }
    }
    Set<Integer> others = new TreeSet<>();
    for (int n = 950 + random.nextInt(101) - 2 - advised.size(); others.size() < n; ) {
      others.add(ADVISED_PACKAGES + random.nextInt(PACKAGE_NAMES - ADVISED_PACKAGES));
    }
    for (int p : others) {
      rpm.add(rpmLineStarts[p] + (1 + p % 9) + ".hce2" + rpmLineArches[p] + installTime + "\n");
    }
    Collections.shuffle(rpm, random); // rpm -qa lists in database order, not by name
    long bootTime = PUBLISHED - random.nextInt(20 * 86_400);
    return new SimulatedHost(this, address, String.join("", rpm), rpm.size(), bootTime, applicable, missing);
  }

  static String name(int p) {
    return String.format(Locale.ROOT, "simpkg%05d%s", p, SUFFIXES[p % SUFFIXES.length]);
  }

  static String version(int p) {
    return "1." + p % 20 + "." + p % 7;
  }

  static String arch(int p) {
    return p % 11 == 0 ? "noarch" : "x86_64";
  }

  private static String rpmLine(String name, String epoch, String version, String release, String arch, long time) {
    return name + "|" + epoch + "|" + version + "|" + release + "|" + arch + "|" + time + "\n";
  }

  /** The cache state a host prints: the listing of its cache and its repomd.xml, fresh by the host's clock {@code now}. */
  String cacheState(String nonce, long now) {
    long cached = now - 600;
    String repodata = cacheDir + "/repodata";
    String primaryHex = sha256((updateInfoSha256 + "primary").getBytes(StandardCharsets.UTF_8));
    String gzHex = sha256((updateInfoSha256 + "gz").getBytes(StandardCharsets.UTF_8));
    StringBuilder b = new StringBuilder();
    b.append(CollectorCommands.marker(nonce, "expired-repos")).append("[]");
    b.append(CollectorCommands.marker(nonce, "cache-listing"));
    b.append(cached).append("|3100|").append(repodata).append("/repomd.xml\n");
    b.append(cached).append("|912345|").append(repodata).append('/').append(primaryHex).append("-primary.xml.gz\n");
    b.append(cached).append('|').append(updateInfoXml.length / 8).append('|').append(updateInfoPath()).append('\n');
    b.append(CollectorCommands.marker(nonce, "repomd " + repodata));
    b.append("""
        <?xml version="1.0" encoding="UTF-8"?>
        <repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
          <revision>%1$d</revision>
          <data type="primary">
            <checksum type="sha256">%2$s</checksum>
            <location href="repodata/%2$s-primary.xml.gz"/>
            <timestamp>%1$d</timestamp>
            <size>912345</size>
          </data>
          <data type="updateinfo">
            <checksum type="sha256">%3$s</checksum>
            <open-checksum type="sha256">%4$s</open-checksum>
            <location href="repodata/%4$s-updateinfo.xml.gz"/>
            <timestamp>%1$d</timestamp>
            <size>%5$d</size>
            <open-size>%6$d</open-size>
          </data>
        </repomd>
        """.formatted(PUBLISHED, primaryHex, gzHex, updateInfoSha256, updateInfoXml.length / 8, updateInfoXml.length));
    return b.toString();
  }

  private String renderUpdateInfo() {
    StringBuilder w = new StringBuilder(ADVISORIES * 1500);
    w.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<updates>\n");
    for (CatalogAdvisory a : advisories) {
      String subject = name(a.fixes().get(0).packageIndex());
      w.append("  <update from=\"hce-security@huawei.com\" type=\"").append(a.type())
          .append("\" status=\"stable\" version=\"1.0\">\n");
      w.append("    <id>").append(a.id()).append("</id>\n");
      w.append("    <title>").append(subject).append(' ').append(a.type()).append(" update</title>\n");
      w.append("    <severity>").append(a.severity()).append("</severity>\n");
      w.append("    <release>Huawei Cloud EulerOS 2.0</release>\n");
      w.append("    <issued date=\"").append(ISSUED.format(a.issued().atZone(ZoneOffset.UTC))).append("\"/>\n");
      w.append("    <references>\n");
      for (String cve : a.cves()) {
        w.append("      <reference href=\"https://nvd.nist.gov/vuln/detail/").append(cve).append("\" id=\"").append(cve)
            .append("\" title=\"").append(cve).append("\" type=\"cve\"/>\n");
      }
      w.append("    </references>\n");
      w.append("    <description>An update for ").append(subject).append(" is now available for Huawei Cloud EulerOS 2.0."
          + " It fixes the issues its references describe; simulated for Patchloop's scale runs.</description>\n");
      w.append("    <pkglist>\n      <collection short=\"hce2\">\n        <name>Huawei Cloud EulerOS 2.0</name>\n");
      for (Fix f : a.fixes()) {
        int p = f.packageIndex();
        String nvr = name(p) + "-" + version(p) + "-" + f.release() + ".hce2";
        w.append("        <package name=\"").append(name(p)).append("\" version=\"").append(version(p))
            .append("\" release=\"").append(f.release()).append(".hce2\" epoch=\"0\" arch=\"").append(arch(p))
            .append("\" src=\"").append(nvr).append(".src.rpm\">\n          <filename>").append(nvr).append('.')
            .append(arch(p)).append(".rpm</filename>\n        </package>\n");
      }
      w.append("      </collection>\n    </pkglist>\n  </update>\n");
    }
    w.append("</updates>\n");
    return w.toString();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
