package io.patchloop.collect;

import io.patchloop.inventory.InstalledPackage;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Whether a host needs a reboot, decided centrally the way the host's own {@code needs-restarting -r}
 * decides it, from data a scan already has: the installed packages with their install times, the
 * boot time and the files of {@code /etc/dnf/plugins/needs-restarting.d/}. Running the real command
 * costs a dnf start (about 0.15 s CPU) on every host and scan.
 *
 * <p>The rule of both tools: a reboot is needed when an installed package whose name is on the
 * tool's list was installed strictly after boot, both times in whole seconds. A package installed
 * in the boot second does not count ({@code pkg.installtime > boot_time}).
 *
 * <p>Host data (package names, conf file lines) is only compared with strings here; nothing of it
 * is ever put into a command.
 */
public final class RebootHint {

  /**
   * dnf-plugins-core 4.3.1's {@code NEED_REBOOT} (plugins/needs_restarting.py), the list since 4.0.18
   * (kernel-rt added; 4.0.8 had the rest) up to 4.4.2. 4.3.1 is what the lab hosts run (Debian 12's
   * package); CentOS 8 (4.0.x) has the same list. Newer releases add {@code kernel-core}
   * (4.4.3) and {@code microcode_ctl} (4.4.4) and, from 4.8.0, match packages that merely provide one
   * of these names. They are deliberately not here: the point is to give the answer the host's own
   * tool gives, and on a 4.3 host a kernel-core-only update does not make it say "reboot". A site
   * that wants kernel-core counted lists it in needs-restarting.d, as the lab hosts do.
   */
  static final Set<String> DNF_NEED_REBOOT = Set.of(
      "kernel", "kernel-rt", "glibc", "linux-firmware", "systemd", "dbus", "dbus-broker", "dbus-daemon");

  /**
   * yum-utils 1.1.31's {@code REBOOTPKGS} (needs-restarting.py, upstream master); yum-utils reads no
   * needs-restarting.d files.
   */
  static final Set<String> YUM_REBOOT_PACKAGES = Set.of(
      "kernel", "glibc", "linux-firmware", "systemd", "udev", "openssl-libs", "gnutls", "dbus");

  /** The line breaks Python's text mode (universal newlines) splits a file on. */
  private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

  private RebootHint() {}

  /**
   * The decision and its reason.
   *
   * @param needed what {@code needs-restarting -r} would say (its exit code 1)
   * @param packages the names that triggered it, sorted and distinct, as dnf lists them; empty when
   *     not needed
   */
  public record Result(boolean needed, List<String> packages) {
    public Result {
      packages = List.copyOf(packages);
    }
  }

  /**
   * {@link #evaluate}'s answer alone: {@code true} reboot needed, {@code false} not, {@code null} when
   * the package manager is not one whose rule is known here.
   */
  public static Boolean needsReboot(String packageManager, List<InstalledPackage> installed, Instant bootTime,
      Map<String, String> needsRestartingConfFiles) {
    Result result = evaluate(packageManager, installed, bootTime, needsRestartingConfFiles);
    return result == null ? null : result.needed();
  }

  /**
   * What the host's {@code needs-restarting -r} would answer.
   *
   * @param packageManager {@code "dnf"} (dnf 4 with dnf-plugins-core) or {@code "yum"} (yum-utils);
   *     anything else, {@code "dnf5"} included, gives {@code null}: dnf5's needs-restarting also counts
   *     every installed package named by a {@code reboot_suggested} advisory (libdnf5
   *     PackageQuery::filter_reboot_suggested), which packages and times alone cannot reproduce
   * @param installed every installed package with its install time (rpm's INSTALLTIME)
   * @param bootTime the boot time the host's tool uses; it is compared in whole seconds (a fraction is
   *     dropped, as the tools' {@code int()} does). dnf-plugins-core up to 4.3 uses the mtime of
   *     /proc/1 alone; 4.4 and 4.5 the later of that and {@code int(now - uptime)}; yum-utils the
   *     {@code btime} of /proc/stat
   * @param needsRestartingConfFiles file name to content of /etc/dnf/plugins/needs-restarting.d/;
   *     {@code null} or empty when there are none. Only {@code *.conf} files count; every line is a
   *     package name (dnf only strips trailing whitespace); names not installed change nothing
   */
  public static Result evaluate(String packageManager, List<InstalledPackage> installed, Instant bootTime,
      Map<String, String> needsRestartingConfFiles) {
    Objects.requireNonNull(installed, "installed");
    Objects.requireNonNull(bootTime, "bootTime");
    Set<String> watched;
    if ("dnf".equals(packageManager)) {
      watched = new HashSet<>(DNF_NEED_REBOOT);
      watched.addAll(confFileNames(needsRestartingConfFiles));
    } else if ("yum".equals(packageManager)) {
      watched = YUM_REBOOT_PACKAGES;
    } else {
      return null;
    }
    long bootSecond = bootTime.getEpochSecond();
    Set<String> triggered = new TreeSet<>();
    for (InstalledPackage p : installed) {
      if (watched.contains(p.name()) && p.installedAt().getEpochSecond() > bootSecond) {
        triggered.add(p.name());
      }
    }
    return new Result(!triggered.isEmpty(), List.copyOf(triggered));
  }

  /**
   * The lines of the {@code *.conf} files as dnf-plugins-core's get_options_from_dir reads them:
   * {@code for line in fp: options.add(line.rstrip())}. Leading whitespace and comments are kept, so
   * such lines name no package; blank lines name none either.
   */
  static Set<String> confFileNames(Map<String, String> confFiles) {
    Set<String> names = new HashSet<>();
    if (confFiles == null) {
      return names;
    }
    confFiles.forEach((fileName, content) -> {
      if (fileName == null || content == null || !fileName.endsWith(".conf")) {
        return;
      }
      for (String line : LINE_BREAK.split(content, -1)) {
        String name = stripTrailingPythonWhitespace(line);
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    });
    return names;
  }

  /**
   * Python's {@code str.rstrip()}: the characters {@code str.isspace()} accepts, which Java splits over
   * two predicates (and U+0085).
   */
  private static String stripTrailingPythonWhitespace(String s) {
    int end = s.length();
    while (end > 0) {
      char c = s.charAt(end - 1);
      if (!(Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085')) {
        break;
      }
      end--;
    }
    return s.substring(0, end);
  }
}
