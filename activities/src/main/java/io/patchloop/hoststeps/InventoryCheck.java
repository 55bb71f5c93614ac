package io.patchloop.hoststeps;

import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.inventory.SafeValues;
import io.patchloop.rpm.Evr;
import io.patchloop.workflows.host.HostErrorKind;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's checks once more, centrally, on what a host step handed in: an agent runs on the
 * host it reports on, so its inventory is host data, whatever agent sent it. The same rules as the
 * parsers on the host: an installed package rpm could not have printed fails the inventory
 * ({@code RpmQaParser}); an advisory with an id or a package entry not safe to use is left out
 * ({@code UpdateInfoParser}). Inventories of the SSH path pass unchanged: they were read by those
 * parsers on the workers.
 */
final class InventoryCheck {

  private static final Logger log = LoggerFactory.getLogger(InventoryCheck.class);
  /** rpm prints "(none)" as the arch of a few packages that have none. */
  private static final Pattern INSTALLED_ARCH = Pattern.compile(SafeValues.ARCH.pattern() + "|\\(none\\)");

  private InventoryCheck() {}

  /**
   * @throws ApplicationFailure OUTPUT_UNPARSEABLE when an installed package is not one rpm could list
   */
  static HostInventory checked(HostInventory inventory) {
    List<InstalledPackage> packages = inventory.packages() == null ? List.of() : inventory.packages();
    for (InstalledPackage p : packages) {
      if (p == null || !matches(SafeValues.PACKAGE_NAME, p.name()) || !matches(INSTALLED_ARCH, p.arch())
          || !safe(p.evr())) {
        throw HostErrorKind.OUTPUT_UNPARSEABLE.failure("the host's inventory lists an installed package whose name,"
            + " version, release or arch has characters rpm does not allow: " + shown(p));
      }
    }
    List<Advisory> advisories = inventory.advisories() == null ? List.of() : inventory.advisories();
    List<Advisory> kept = new ArrayList<>(advisories.size());
    for (Advisory a : advisories) {
      if (safe(a)) {
        kept.add(a);
      }
    }
    if (kept.size() == advisories.size() && inventory.advisories() != null && inventory.packages() != null) {
      return inventory;
    }
    if (kept.size() < advisories.size()) {
      log.warn("left out {} advisories of the host's inventory whose id or package entries are not safe to use",
          advisories.size() - kept.size());
    }
    return new HostInventory(inventory.osId(), inventory.osVersion(), inventory.product(), inventory.runningKernel(),
        inventory.bootTime(), packages, inventory.kernelPackageNames(), List.copyOf(kept),
        inventory.needsRestarting(), inventory.metadataAgeSeconds(), inventory.catalogChecksums());
  }

  private static boolean safe(Advisory a) {
    if (a == null || !matches(SafeValues.ADVISORY_ID, a.id()) || a.packages() == null || a.packages().isEmpty()
        || a.cves() == null) {
      return false;
    }
    for (AdvisoryPackage p : a.packages()) {
      if (p == null || !matches(SafeValues.PACKAGE_NAME, p.name()) || !matches(SafeValues.ARCH, p.arch())
          || !safe(p.evr())) {
        return false;
      }
    }
    return true;
  }

  private static boolean safe(Evr evr) {
    return evr != null && matches(SafeValues.VERSION_PART, evr.version()) && matches(SafeValues.VERSION_PART,
        evr.release());
  }

  private static boolean matches(Pattern pattern, String value) {
    return value != null && pattern.matcher(value).matches();
  }

  private static String shown(InstalledPackage p) {
    String text = String.valueOf(p);
    return (text.length() > 160 ? text.substring(0, 160) + "..." : text).replaceAll("[^\\x20-\\x7e]", "?");
  }
}
