package io.patchloop.rpm;

import java.util.Objects;

/**
 * An rpm epoch:version-release. Ordered as rpm orders them ({@link RpmVersion#compare}): epoch
 * first (a missing epoch is 0), then version, then release.
 *
 * <p>A missing release is the empty string. rpm's own {@code rpmverCmp} (what {@code rpm.vercmp}
 * uses) instead sorts a missing release before every release, even one that is empty, only
 * separators, or starts with '~'; for every other release the two orders agree.
 */
public record Evr(long epoch, String version, String release) implements Comparable<Evr> {

  public Evr {
    if (epoch < 0) {
      throw new IllegalArgumentException("negative epoch: " + epoch);
    }
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(release, "release");
  }

  /**
   * Parses {@code [epoch:]version[-release]} as rpm does ({@code parseEVR}): the epoch is the
   * digits before a ':' that follows them immediately (none, as in {@code ":1.0"}, is epoch 0),
   * otherwise there is no epoch and the ':' belongs to the version; the release is everything after
   * the last '-'.
   *
   * @throws IllegalArgumentException if the epoch does not fit a long
   */
  public static Evr parse(String evr) {
    Objects.requireNonNull(evr, "evr");
    int digits = 0;
    while (digits < evr.length() && evr.charAt(digits) >= '0' && evr.charAt(digits) <= '9') {
      digits++;
    }
    long epoch = 0;
    String rest = evr;
    if (digits < evr.length() && evr.charAt(digits) == ':') {
      if (digits > 0) {
        try {
          epoch = Long.parseLong(evr, 0, digits, 10);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("epoch out of range in " + evr, e);
        }
      }
      rest = evr.substring(digits + 1);
    }
    int dash = rest.lastIndexOf('-');
    if (dash < 0) {
      return new Evr(epoch, rest, "");
    }
    return new Evr(epoch, rest.substring(0, dash), rest.substring(dash + 1));
  }

  @Override
  public int compareTo(Evr other) {
    int c = Long.compare(epoch, other.epoch);
    if (c != 0) {
      return c;
    }
    c = RpmVersion.compare(version, other.version);
    if (c != 0) {
      return c;
    }
    return RpmVersion.compare(release, other.release);
  }

  /** {@code 1.2-3} or {@code 2:1.2-3}, as rpm prints them. */
  @Override
  public String toString() {
    return (epoch == 0 ? "" : epoch + ":") + version + (release.isEmpty() ? "" : "-" + release);
  }
}
