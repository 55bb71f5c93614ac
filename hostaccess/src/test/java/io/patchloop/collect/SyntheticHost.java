package io.patchloop.collect;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * A large RHEL-like host, synthesized: {@code installed} packages (a tenth multilib, some noarch)
 * and one repository whose updateinfo.xml is written as RHEL's is (long descriptions, references,
 * checksums, 10 package entries per advisory) to a given size, {@code applicable} advisories of
 * which name 4 installed packages each. The probe is the captured demo host's with this rpm
 * database and this file's checksum in its repomd.xml. Deterministic for the same arguments.
 */
final class SyntheticHost {

  private SyntheticHost() {}

  static String installedName(int i) {
    return String.format(Locale.ROOT, "inst%04d-%s", i, i % 3 == 0 ? "libs" : i % 3 == 1 ? "common" : "tools");
  }

  static String otherName(int i) {
    return String.format(Locale.ROOT, "other%05d-%s", i, i % 2 == 0 ? "devel" : "doc");
  }

  static String arch(int i) {
    return i % 17 == 0 ? "noarch" : "x86_64";
  }

  /** The rpm section: {@code installed} packages, every tenth also as i686. */
  static String rpm(int installed) {
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < installed; i++) {
      String release = (1 + i % 9) + ".el9";
      w.append(installedName(i)).append("|(none)|").append(1 + i % 5).append('.').append(i % 13).append('|')
          .append(release).append('|').append(arch(i)).append("|1790000000\n");
      if (i % 10 == 3) {
        w.append(installedName(i)).append("|(none)|").append(1 + i % 5).append('.').append(i % 13).append('|')
            .append(release).append("|i686|1790000000\n");
      }
    }
    return w.toString();
  }

  /** The captured demo probe with this rpm database, its repomd.xml naming {@code updateInfoXml}'s checksum. */
  static String probe(int installed, String updateInfoXml) {
    CapturedHost demo = CapturedHost.refreshed();
    String probe = FramedText.replace(demo.probe(), "rpm", rpm(installed));
    String demoChecksum = CapturedHost.sha256(demo.updateInfoXml()).substring("sha256:".length());
    if (!probe.contains(demoChecksum)) {
      throw new AssertionError("the demo repomd.xml does not name the demo updateinfo's checksum");
    }
    return probe.replace(demoChecksum, CapturedHost.sha256(updateInfoXml).substring("sha256:".length()));
  }

  static String updateInfo(long bytes, int installed, int applicable) {
    StringWriter w = new StringWriter();
    try {
      writeUpdateInfo(w, bytes, installed, applicable);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  static Path writeUpdateInfo(Path file, long bytes, int installed, int applicable) throws IOException {
    try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
      writeUpdateInfo(w, bytes, installed, applicable);
    }
    return file;
  }

  static void writeUpdateInfo(Writer w, long bytes, int installed, int applicable) throws IOException {
    Random rnd = new Random(42);
    CountingWriter out = new CountingWriter(w);
    out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<updates>\n");
    for (int advisory = 0; out.count < bytes - 4096 || advisory / 2 < applicable; advisory++) {
      update(out, advisory, advisory % 2 == 0 && advisory / 2 < applicable, installed, rnd);
    }
    out.write("</updates>\n");
  }

  private static void update(Writer w, int a, boolean applicable, int installed, Random rnd) throws IOException {
    String id = String.format(Locale.ROOT, "RHSA-2024:%05d", a);
    String severity = new String[] {"Critical", "Important", "Moderate", "Low"}[a % 4];
    w.write("  <update from=\"release-engineering@redhat.com\" status=\"final\" type=\"security\" version=\"2\">\n");
    w.write("    <id>" + id + "</id>\n    <title>" + severity + ": component " + a + " security update</title>\n");
    w.write("    <issued date=\"2024-0" + (1 + a % 9) + "-1" + a % 10 + " 10:00:00\"/>\n    <updated date=\"2024-10-01 00:00:00\"/>\n");
    w.write("    <rights>Copyright 2024 Red Hat Inc</rights>\n    <release>Red Hat Enterprise Linux 9</release>\n");
    w.write("    <pushcount>1</pushcount>\n    <severity>" + severity + "</severity>\n");
    w.write("    <summary>An update for component " + a + " is now available for Red Hat Enterprise Linux 9.</summary>\n");
    w.write("    <description>");
    for (int i = 0; i < 6; i++) {
      w.write("Security Fix(es): a flaw was found in the handling of crafted input, which could allow a remote attacker to"
          + " cause a denial of service or execute code (CVE-2024-" + (10000 + a * 7 + i) + "). ");
    }
    w.write("</description>\n    <solution>Before applying this update, make sure all previously released errata"
        + " relevant to your system have been applied.</solution>\n    <references>\n");
    for (int i = 0; i < 3; i++) {
      w.write("      <reference href=\"https://access.redhat.com/security/cve/CVE-2024-" + (10000 + a * 7 + i)
          + "\" id=\"CVE-2024-" + (10000 + a * 7 + i) + "\" type=\"cve\" title=\"CVE-2024-" + (10000 + a * 7 + i) + "\"/>\n");
    }
    w.write("    </references>\n    <pkglist>\n      <collection short=\"rhel-9-for-x86_64\">\n        <name>rhel-9</name>\n");
    for (int i = 0; i < 10; i++) {
      String name;
      String arch;
      if (applicable && i < 4) {
        int p = (a * 4 + i) % installed;
        name = installedName(p);
        arch = arch(p);
      } else {
        int p = a * 10 + i;
        name = otherName(p);
        arch = i % 5 == 4 ? "i686" : arch(p);
      }
      String version = (2 + a % 5) + "." + (a % 13);
      String release = (10 + a % 7) + ".el9_4";
      w.write("        <package name=\"" + name + "\" version=\"" + version + "\" release=\"" + release + "\" epoch=\"0\" arch=\""
          + arch + "\" src=\"" + name + "-" + version + "-" + release + ".src.rpm\">\n          <filename>" + name + "-"
          + version + "-" + release + "." + arch + ".rpm</filename>\n          <sum type=\"sha256\">");
      for (int k = 0; k < 4; k++) {
        w.write(String.format(Locale.ROOT, "%016x", rnd.nextLong()));
      }
      w.write("</sum>\n        </package>\n");
    }
    w.write("      </collection>\n    </pkglist>\n  </update>\n");
  }

  /** Counts what goes through (ASCII: characters are bytes). */
  private static final class CountingWriter extends Writer {
    private final Writer out;
    long count;

    CountingWriter(Writer out) {
      this.out = out;
    }

    @Override
    public void write(char[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void write(String s) throws IOException {
      out.write(s);
      count += s.length();
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() {
      // the caller closes its writer
    }
  }
}
