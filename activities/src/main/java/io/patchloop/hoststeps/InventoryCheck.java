package io.patchloop.hoststeps;

import io.patchloop.baselines.PatchSeverity;
import io.patchloop.collect.AdvisorySelection;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostDataLimits;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.inventory.SafeValues;
import io.patchloop.rpm.Evr;
import io.patchloop.workflows.host.ActivityPayloads;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.repair.InstallResult;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's checks once more, centrally, on what a host step handed in: an agent runs on the
 * host it reports on, so its inventory and its install result are host data, whatever agent sent
 * them. The same patterns ({@link SafeValues}) and bounds ({@link HostDataLimits}) as the parsers on
 * the host, so that both paths keep the same data and every value fits its column:
 *
 * <ul>
 *   <li>an installed package or kernel package rpm could not have listed (name, version, release,
 *       arch, epoch, install time), or a boot time no clock gives, fails the host OUTPUT_UNPARSEABLE
 *       ({@code RpmQaParser}, {@code BootReading});
 *   <li>more installed packages, or more advisories, than the SSH path hands on fails the host
 *       INVENTORY_TOO_LARGE ({@code RpmQaParser}, {@code RpmCollector});
 *   <li>an advisory with an id or a package entry not safe to use is left out, and counted
 *       ({@code UpdateInfoParser}); of the others, CVE ids that are not one are dropped, an issued
 *       date a TIMESTAMP cannot hold becomes none, a missing severity NONE, and the same id twice
 *       one advisory (as the collector merges two repositories' lists);
 *   <li>the host's own words (OS, kernel, titles) lose control characters and are cut to their
 *       columns; so are failure messages.
 * </ul>
 *
 * Inventories of the SSH path pass unchanged: they were read by those parsers on the workers.
 */
final class InventoryCheck {

  private static final Logger log = LoggerFactory.getLogger(InventoryCheck.class);

  private InventoryCheck() {}

  /**
   * @throws ApplicationFailure OUTPUT_UNPARSEABLE when the installed packages or the boot time are
   *     not what a host could have given; INVENTORY_TOO_LARGE when there are more than the SSH path
   *     hands on
   */
  static HostInventory checked(HostInventory inventory) {
    if (inventory == null) {
      throw HostErrorKind.OUTPUT_UNPARSEABLE.failure("the host step handed in no inventory");
    }
    List<InstalledPackage> packages = inventory.packages() == null ? List.of() : inventory.packages();
    if (packages.size() > HostDataLimits.MAX_INSTALLED_PACKAGES) {
      throw HostErrorKind.INVENTORY_TOO_LARGE.failure("the host's inventory lists " + packages.size()
          + " installed packages, more than Patchloop keeps of a host (" + HostDataLimits.MAX_INSTALLED_PACKAGES + ")");
    }
    for (InstalledPackage p : packages) {
      if (p == null || !matches(SafeValues.PACKAGE_NAME, p.name()) || !matches(SafeValues.INSTALLED_ARCH, p.arch())
          || !safe(p.evr()) || !HostDataLimits.installTime(p.installedAt())) {
        throw HostErrorKind.OUTPUT_UNPARSEABLE.failure("the host's inventory lists an installed package whose name,"
            + " epoch, version, release, arch or install time is not one rpm prints: " + shown(p));
      }
    }
    Set<String> kernels = inventory.kernelPackageNames() == null ? Set.of() : inventory.kernelPackageNames();
    if (kernels.size() > HostDataLimits.MAX_INSTALLED_PACKAGES) {
      throw HostErrorKind.INVENTORY_TOO_LARGE.failure("the host's inventory names " + kernels.size()
          + " kernel packages, more than Patchloop keeps of a host (" + HostDataLimits.MAX_INSTALLED_PACKAGES + ")");
    }
    for (String kernel : kernels) {
      if (!matches(SafeValues.PACKAGE_NAME, kernel)) {
        throw HostErrorKind.OUTPUT_UNPARSEABLE.failure("the host's inventory names a kernel package whose name rpm"
            + " does not allow: " + shown(kernel));
      }
    }
    if (!HostDataLimits.clockReading(inventory.bootTime())) {
      throw HostErrorKind.OUTPUT_UNPARSEABLE.failure("the host's inventory gives no plausible boot time: "
          + shown(inventory.bootTime()));
    }
    List<Advisory> advisories = inventory.advisories() == null ? List.of() : inventory.advisories();
    Map<String, Advisory> kept = new LinkedHashMap<>();
    int leftOut = 0;
    long bytes = 0;
    for (Advisory a : advisories) {
      if (!safe(a)) {
        leftOut++;
        continue;
      }
      Advisory usable = usable(a);
      bytes += HostDataLimits.estimatedJson(usable);
      if (bytes > HostDataLimits.MAX_ADVISORY_BYTES) {
        throw HostErrorKind.INVENTORY_TOO_LARGE.failure("the advisories of the host's inventory come to more than "
            + HostDataLimits.MAX_ADVISORY_BYTES / 1024 + " KiB, more than a scan can hand on ("
            + ActivityPayloads.MAX_BYTES / 1024 + " KiB)");
      }
      kept.merge(usable.id(), usable, AdvisorySelection::union);
    }
    if (leftOut > 0) {
      log.warn("left out {} of the {} advisories of the host's inventory whose id or package entries are not safe to use",
          leftOut, advisories.size());
    }
    HostInventory checked = new HostInventory(text(inventory.osId()), text(inventory.osVersion()),
        text(inventory.product()), text(inventory.runningKernel()), inventory.bootTime(), packages, kernels,
        List.copyOf(kept.values()), inventory.needsRestarting(), inventory.metadataAgeSeconds(),
        inventory.catalogChecksums());
    return checked.equals(inventory) ? inventory : checked;
  }

  /**
   * The install result as kept: the inventory after it checked as {@link #checked(HostInventory)}
   * checks it, each failure message cut to what a report keeps ({@link HostDataLimits#message}).
   */
  static InstallResult checked(InstallResult result) {
    if (result == null || result.after() == null) {
      throw HostErrorKind.OUTPUT_UNPARSEABLE.failure("the repair handed in no inventory of the host after it");
    }
    Map<String, String> failures = new LinkedHashMap<>();
    if (result.failures() != null) {
      result.failures().forEach((id, message) -> {
        // an id no plan names is never looked up; one that is not an advisory id is not kept at all
        if (matches(SafeValues.ADVISORY_ID, id)) {
          failures.put(id, message == null ? "" : HostDataLimits.message(message));
        }
      });
    }
    return new InstallResult(failures, checked(result.after()));
  }

  private static String text(String hostText) {
    return HostDataLimits.hostText(hostText, HostDataLimits.MAX_HOST_NAME_TEXT);
  }

  /** The advisory as the parser would have built it from the same values. */
  private static Advisory usable(Advisory a) {
    Set<String> cves = new LinkedHashSet<>();
    for (String cve : a.cves()) {
      if (cves.size() < HostDataLimits.MAX_CVES_PER_ADVISORY && matches(SafeValues.CVE, cve)) {
        cves.add(cve);
      }
    }
    Advisory usable = new Advisory(a.id(), a.title() == null ? "" : HostDataLimits.hostText(a.title(),
        HostDataLimits.MAX_TITLE), a.type() == null ? "" : HostDataLimits.hostText(a.type(), HostDataLimits.MAX_TYPE),
        a.category(), a.severity() == null ? PatchSeverity.NONE : a.severity(), HostDataLimits.storableTime(a.issued()),
        List.copyOf(new LinkedHashSet<>(a.packages())), List.copyOf(cves), a.rebootSuggested());
    return usable.equals(a) ? a : usable;
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
    return evr != null && evr.epoch() <= HostDataLimits.MAX_EPOCH && matches(SafeValues.VERSION_PART, evr.version())
        && matches(SafeValues.VERSION_PART, evr.release());
  }

  private static boolean matches(Pattern pattern, String value) {
    return value != null && pattern.matcher(value).matches();
  }

  private static String shown(Object value) {
    return HostDataLimits.hostText(String.valueOf(value), 160);
  }
}
