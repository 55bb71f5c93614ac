package io.patchloop.inventory;

import java.util.regex.Pattern;

/**
 * The patterns a value from a host or a repository must match before Patchloop keeps it, stores
 * it or puts it on a command line (quoted, see ShellCommand): the domain's vocabulary of safe
 * values, in one place for the parsers, the specs and the command builder.
 */
public final class SafeValues {

  private SafeValues() {}

  /** rpm package names: letters, digits and {@code ._+-}; no leading '-' (an option to dnf). */
  public static final Pattern PACKAGE_NAME = Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9._+-]{0,199}");
  /** name-[epoch:]version-release.arch, as dnf takes it. */
  public static final Pattern NEVRA = Pattern.compile(
      "[A-Za-z0-9_+][A-Za-z0-9._+-]{0,199}-([0-9]{1,10}:)?[A-Za-z0-9._+~^]{1,128}-[A-Za-z0-9._+~^]{1,128}\\.[A-Za-z0-9_]{1,32}");
  /** Advisory ids: RHSA-2024:1234, openEuler-SA-2024-1234, FEDORA-2024-1a2b3c4d5e. */
  public static final Pattern ADVISORY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}");
  /** An rpm epoch: a small non-negative number, as dnf takes it in a NEVRA. */
  public static final Pattern EPOCH = Pattern.compile("[0-9]{1,10}");
  /** An rpm version or release: what rpm itself allows there. */
  public static final Pattern VERSION_PART = Pattern.compile("[A-Za-z0-9._+~^]{1,128}");
  /** An rpm architecture (x86_64, noarch, aarch64, ...). */
  public static final Pattern ARCH = Pattern.compile("[A-Za-z0-9_]{1,32}");
  /** An installed package's arch: rpm prints "(none)" for the few that have none (gpg-pubkey). */
  public static final Pattern INSTALLED_ARCH = Pattern.compile(ARCH.pattern() + "|\\(none\\)");
  /** A CVE id as an advisory references it; the other references are not kept. */
  public static final Pattern CVE = Pattern.compile("CVE-[0-9]{4}-[0-9]{4,19}");
  /**
   * A baseline's rejected entry usable as a package-name exclude: no ':' (advisory ids like
   * RHSA-2024:1234 have one), globs allowed.
   */
  public static final Pattern PACKAGE_GLOB = Pattern.compile("[A-Za-z0-9_.*?+][A-Za-z0-9_.*?+-]{0,127}");
  /**
   * An updateinfo file's checksum as the advisory catalog keys it, {@code <type>:<hex>} (as
   * repomd.xml gives it; the collector's Repomd accepts the same shape).
   */
  public static final Pattern UPDATEINFO_CHECKSUM = Pattern.compile(
      "(sha|sha1|sha224|sha256|sha384|sha512):[0-9a-f]{40,128}");
  /** A kernel's boot id (/proc/sys/kernel/random/boot_id): a UUID. */
  public static final Pattern BOOT_ID = Pattern.compile("[0-9A-Fa-f-]{1,64}");
  /** A nonce or token we generated ourselves. */
  public static final Pattern HEX = Pattern.compile("[0-9a-f]{8,64}");
}
