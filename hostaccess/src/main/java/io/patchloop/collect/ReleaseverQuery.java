package io.patchloop.collect;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code $releasever} as dnf 4 detects it when no vars file sets it, from the output of
 * {@link #RPM_QUERY} on the host.
 *
 * <p>dnf 4's {@code dnf.rpm.detect_releasever} (dnf/rpm/__init__.py, read in dnf 4.14): for each
 * provide of {@code dnf.const.DISTROVERPKG} in turn, the first installed package providing it gives
 * the release version: its VERSION, unless that provide is {@code = something} (flags exactly
 * RPMSENSE_EQUAL, 8) and the package is not itself named like the provide, in which case the
 * provide's version. The first provide with a package decides, even when its version is empty.
 */
public final class ReleaseverQuery {

  /** dnf 4's {@code dnf.const.DISTROVERPKG}, in its order. */
  static final List<String> DNF_PROVIDES = List.of("system-release(releasever)", "system-release",
      "distribution-release(releasever)", "distribution-release", "redhat-release", "suse-release");

  /**
   * yum 3's default {@code distroverpkg} ({@code yum/config.py}) plus {@code centos-release}, which
   * CentOS 7's yum.conf names; yum reads it like dnf (first providing package, its version or the
   * provide's {@code =} version). A {@code distroverpkg} naming anything else is not in the query.
   */
  static final List<String> YUM_DEFAULT_PROVIDES = List.of("system-release(releasever)", "redhat-release");

  /**
   * The command for the collector script (a constant: nothing of the host's is put into it). Per
   * provide: a {@code Q <provide>} line, then for the first package (rpm lists all; dnf takes the
   * first) {@code P <name>|<version>} and one {@code R <provide name>|<flags>|<provide version>} line
   * per provide of that package. rpm's "no package provides ..." lines are ignored. It stops at the
   * first provide with a package, the one dnf takes, and does not run at all when a vars file sets
   * releasever, which dnf takes instead: each rpm start costs a read of the rpm database.
   */
  public static final String RPM_QUERY = "if [ ! -s /etc/dnf/vars/releasever ] && [ ! -s /etc/yum/vars/releasever ]; then"
      + " for p in 'system-release(releasever)' system-release"
      + " 'distribution-release(releasever)' distribution-release redhat-release suse-release centos-release; do"
      + " printf 'Q %s\\n' \"$p\";"
      + " rpm -q --whatprovides \"$p\" --qf 'P %{NAME}|%{VERSION}\\n[R %{PROVIDENAME}|%{PROVIDEFLAGS}|%{PROVIDEVERSION}\\n]'"
      + " 2>/dev/null && break;"
      + " done; fi";

  private static final int RPMSENSE_EQUAL = 8;
  /** A release version we put into paths and URLs: what distributions use (7, 8.6, 22.03, 2.0, 40). */
  static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._+~^-]{1,64}");

  private ReleaseverQuery() {}

  /**
   * The release version the first of {@code provides} with an installed package gives; empty when
   * none has one (dnf then says "Unable to detect release version") or the value is not one we trust.
   */
  static Optional<String> detect(String output, List<String> provides) {
    List<String> lines = output == null ? List.of() : output.lines().toList();
    for (String provide : provides) {
      Optional<Answer> answer = answerFor(lines, provide);
      if (answer.isPresent()) {
        String value = answer.get().releasever(provide);
        return VALUE.matcher(value).matches() ? Optional.of(value) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  private record Answer(String name, String version, List<String[]> provides) {
    String releasever(String provide) {
      for (String[] p : provides) {
        if (p[0].equals(provide)) {
          // dnf looks at the first provide of that name only (list.index)
          boolean equal = p[1].matches("[0-9]{1,10}") && Long.parseLong(p[1]) == RPMSENSE_EQUAL;
          if (equal && !p[2].isEmpty() && !name.equals(provide)) {
            return p[2];
          }
          break;
        }
      }
      return version;
    }
  }

  /** The first package printed after {@code Q <provide>}, or empty when rpm printed none. */
  private static Optional<Answer> answerFor(List<String> lines, String provide) {
    int i = lines.indexOf("Q " + provide);
    if (i < 0) {
      return Optional.empty();
    }
    for (i++; i < lines.size() && !lines.get(i).startsWith("Q "); i++) {
      String line = lines.get(i);
      if (!line.startsWith("P ")) {
        continue;
      }
      String[] nv = line.substring(2).split("\\|", -1);
      if (nv.length != 2) {
        return Optional.empty();
      }
      List<String[]> provides = new java.util.ArrayList<>();
      for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("R "); j++) {
        String[] r = lines.get(j).substring(2).split("\\|", -1);
        if (r.length == 3) {
          provides.add(r);
        }
      }
      return Optional.of(new Answer(nv[0], nv[1], provides));
    }
    return Optional.empty();
  }
}
