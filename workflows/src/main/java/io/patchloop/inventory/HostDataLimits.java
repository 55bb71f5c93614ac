package io.patchloop.inventory;

import io.patchloop.workflows.host.ActivityPayloads;
import io.patchloop.workflows.repair.BootMark;
import java.time.Instant;

/**
 * How much of a host's data Patchloop keeps, and in what form: the bounds that go with the patterns
 * of {@link SafeValues}. One place for the collector's parsers (on the workers and on the agent) and
 * for the central check of what a host step hands in (an agent's inventory and install result are
 * host data, whatever sent them), so that both paths keep the same data and the database's columns
 * always hold it: a value too long for its column is cut here, never refused by the database.
 */
public final class HostDataLimits {

  private HostDataLimits() {}

  /**
   * Installed packages of one host. A large server has a few thousand; a whole distribution
   * installed (every package of Fedora's repositories) about 70,000.
   */
  public static final int MAX_INSTALLED_PACKAGES = 100_000;
  /** CVE ids kept of one advisory: the largest kernel advisories name a few hundred. */
  public static final int MAX_CVES_PER_ADVISORY = 1_000;
  /** The width of a report's os_release and running_kernel columns (V1__schema.sql). */
  public static final int MAX_HOST_NAME_TEXT = 128;
  /** An advisory's title as kept (also in the advisory catalog). */
  public static final int MAX_TITLE = 4096;
  /** An advisory's type as the repository wrote it (security, bugfix, ...). */
  public static final int MAX_TYPE = 64;
  /**
   * A message kept about a host (a failed patch's error, a host's last error, a ticket host's
   * error): more than the package manager's excerpt the SSH path keeps (its last 8 lines, at most
   * 2,000 characters), and well within a TEXT column (65,535 bytes, 4 per character at most).
   */
  public static final int MAX_MESSAGE = 4000;
  /**
   * What is kept of a host's advisories, estimated as JSON ({@link #estimatedJson}), before the host
   * fails INVENTORY_TOO_LARGE: the inventory must fit an activity payload; twice that allows for an
   * advisory listed by two repositories (a mirror and an update repository), which counts once.
   */
  public static final long MAX_ADVISORY_BYTES = 2L * ActivityPayloads.MAX_BYTES;
  /** Ten thousand years in epoch seconds: a larger value is no clock reading (a boot time). */
  public static final long MAX_CLOCK_SECONDS = 253_402_300_799L;
  /** rpm's INSTALLTIME as the collector reads it: up to 12 digits of epoch seconds. */
  public static final long MAX_INSTALL_TIME_SECONDS = 999_999_999_999L;
  /** The largest rpm epoch {@link SafeValues#EPOCH} lets through. */
  public static final long MAX_EPOCH = 9_999_999_999L;
  /** The range a TIMESTAMP column holds (an advisory's issued date), a day's margin at each end. */
  private static final Instant STORABLE_FROM = Instant.parse("1970-01-02T00:00:00Z");
  private static final Instant STORABLE_UNTIL = Instant.parse("2038-01-18T00:00:00Z");

  /**
   * A host's own words (an OS name, a kernel release) as kept: control and format characters
   * (escape sequences, NULs, bidirectional overrides) shown as '?', and cut to {@code max}
   * characters, the cut marked with '…'. Null stays null.
   */
  public static String hostText(String text, int max) {
    if (text == null) {
      return null;
    }
    return cut(text.replaceAll("[\\p{Cc}\\p{Cf}]", "?"), max);
  }

  /** A message about a host as kept: {@link #hostText} to {@link #MAX_MESSAGE}, its lines kept. */
  public static String message(String text) {
    if (text == null) {
      return null;
    }
    return cut(text.replaceAll("[\\p{Cc}\\p{Cf}&&[^\\n\\t]]", "?"), MAX_MESSAGE);
  }

  /** {@code text} in at most {@code max} characters, the cut marked with '…' and never inside a surrogate pair. */
  private static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 2)) ? max - 2 : max - 1;
    return text.substring(0, end) + "…";
  }

  /** An advisory's issued time if a TIMESTAMP column can hold it, else null (no usable date). */
  public static Instant storableTime(Instant at) {
    return at != null && !at.isBefore(STORABLE_FROM) && at.isBefore(STORABLE_UNTIL) ? at : null;
  }

  /** Whether {@code at} is a clock reading a host could give (a boot time): 1970 to the year 9999. */
  public static boolean clockReading(Instant at) {
    return at != null && clockSeconds(at.getEpochSecond());
  }

  /**
   * Whether a boot mark is one a host could give (HostBoot reads it; an agent hands it in): a boot id
   * of {@link SafeValues#BOOT_ID} or none, and clock readings.
   */
  public static boolean plausible(BootMark mark) {
    return mark != null && (mark.bootId() == null || SafeValues.BOOT_ID.matcher(mark.bootId()).matches())
        && clockSeconds(mark.bootTimeSeconds()) && clockSeconds(mark.initStartSeconds())
        && clockSeconds(mark.clockBootSeconds());
  }

  private static boolean clockSeconds(long seconds) {
    return seconds >= 0 && seconds <= MAX_CLOCK_SECONDS;
  }

  /** Whether {@code at} is an install time rpm could have printed ({@link #MAX_INSTALL_TIME_SECONDS}). */
  public static boolean installTime(Instant at) {
    return at != null && at.getEpochSecond() >= 0 && at.getEpochSecond() <= MAX_INSTALL_TIME_SECONDS;
  }

  /** About the size of the advisory in Temporal's JSON: its strings and the field names around them. */
  public static long estimatedJson(Advisory a) {
    long bytes = 160 + length(a.id()) + length(a.title()) + length(a.type());
    if (a.cves() != null) {
      for (String cve : a.cves()) {
        bytes += length(cve) + 3;
      }
    }
    if (a.packages() != null) {
      for (AdvisoryPackage p : a.packages()) {
        bytes += 60 + (p == null ? 0 : length(p.name()) + length(p.arch())
            + (p.evr() == null ? 0 : p.evr().version().length() + p.evr().release().length()));
      }
    }
    return bytes;
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }
}
