package io.patchloop.collect;

import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.inventory.HostDataLimits;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.inventory.SafeValues;
import io.patchloop.rpm.Evr;
import io.patchloop.workflows.host.HostErrorKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Lines of {@code rpm -qa --qf '%{NAME}|%{EPOCH}|%{VERSION}|%{RELEASE}|%{ARCH}|%{INSTALLTIME}\n'}. */
final class RpmQaParser {

  private static final Pattern VERSION_PART = SafeValues.VERSION_PART;
  private static final Pattern ARCH = SafeValues.INSTALLED_ARCH;
  /** Seconds since 1970 that an Instant holds (rpm's INSTALLTIME): {@link HostDataLimits#MAX_INSTALL_TIME_SECONDS}. */
  private static final Pattern INSTALL_TIME = Pattern.compile("[0-9]{1,12}");

  private RpmQaParser() {}

  static List<InstalledPackage> parse(String text) {
    List<InstalledPackage> packages = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\\|", -1);
      if (f.length != 6) {
        throw unparseable(i, line, "expected 6 fields separated by '|'");
      }
      if (f[0].equals("gpg-pubkey")) {
        continue; // imported signing keys, not software
      }
      if (!SafeValues.PACKAGE_NAME.matcher(f[0]).matches() || !VERSION_PART.matcher(f[2]).matches()
          || !VERSION_PART.matcher(f[3]).matches() || !ARCH.matcher(f[4]).matches()) {
        throw unparseable(i, line, "a name, version, release or arch has characters rpm does not allow");
      }
      if (!(f[1].equals("(none)") || SafeValues.EPOCH.matcher(f[1]).matches()) || !INSTALL_TIME.matcher(f[5]).matches()) {
        throw unparseable(i, line, "epoch or install time is not a number rpm would print");
      }
      long epoch = f[1].equals("(none)") ? 0 : Long.parseLong(f[1]);
      Instant installed = Instant.ofEpochSecond(Long.parseLong(f[5]));
      packages.add(new InstalledPackage(f[0], new Evr(epoch, f[2], f[3]), f[4], installed));
      if (packages.size() > HostDataLimits.MAX_INSTALLED_PACKAGES) {
        throw tooMany();
      }
    }
    if (packages.isEmpty()) {
      throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE, "rpm -qa listed no packages; is this an rpm host?");
    }
    return packages;
  }

  /** The central check's words for the same bound (an agent's inventory). */
  static HostAccessException tooMany() {
    return new HostAccessException(HostErrorKind.INVENTORY_TOO_LARGE, "rpm -qa listed more than "
        + HostDataLimits.MAX_INSTALLED_PACKAGES + " installed packages, more than Patchloop keeps of a host");
  }

  private static HostAccessException unparseable(int index, String line, String why) {
    String shown = line.length() > 120 ? line.substring(0, 120) + "…" : line;
    return new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE,
        "rpm -qa line " + (index + 1) + " cannot be read (" + why + "): " + shown.replaceAll("[^\\x20-\\x7e]", "?"));
  }
}
