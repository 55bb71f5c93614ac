package io.patchloop.hoststeps;

import io.patchloop.advisories.AdvisoryCatalog;
import io.patchloop.advisories.UpdateInfoFile;
import io.patchloop.collect.AdvisorySelection;
import io.patchloop.compliance.EngineInventory;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.inventory.SafeValues;
import io.patchloop.workflows.host.HostErrorKind;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Adds to an agent's inventory the advisories of the updateinfo files it left to the catalog
 * ({@link HostInventory#catalogChecksums}): of each file, the entries of the host's installed names
 * and arches, merged with what the agent read itself as the collector merges two repositories'
 * lists; then cuts the inventory as the agent would have ({@link EngineInventory#compact}). What
 * the agent sent is host data: the checksums are checked against the catalog's key shape first.
 */
@Component
public class CatalogAdvisories {

  /** Far more repositories than a host enables: more checksums than this is not an agent's honest inventory. */
  static final int MAX_CHECKSUMS = 1000;

  private final AdvisoryCatalog catalog;

  public CatalogAdvisories(AdvisoryCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * The inventory with every advisory in it, cut to what the engine reads; an inventory that left
   * nothing to the catalog unchanged (it was cut on the host).
   *
   * @throws ApplicationFailure METADATA_UNAVAILABLE when the catalog no longer has a file the agent
   *     left to it (the host's next scan is told what the catalog has now); OUTPUT_UNPARSEABLE when
   *     the checksums are not of the catalog's shape
   */
  public HostInventory resolve(HostInventory inventory) {
    if (!inventory.awaitsCatalogAdvisories()) {
      return inventory;
    }
    List<String> checksums = inventory.catalogChecksums();
    if (checksums.size() > MAX_CHECKSUMS) {
      throw HostErrorKind.OUTPUT_UNPARSEABLE.failure("the agent left " + checksums.size()
          + " updateinfo files to the catalog, more than a host has repositories (at most " + MAX_CHECKSUMS + ")");
    }
    for (String checksum : checksums) {
      if (checksum == null || !SafeValues.UPDATEINFO_CHECKSUM.matcher(checksum).matches()) {
        throw HostErrorKind.OUTPUT_UNPARSEABLE.failure("the agent left an updateinfo file to the catalog under a"
            + " checksum that is not one (" + shortened(checksum) + ")");
      }
    }
    List<InstalledPackage> packages = inventory.packages() == null ? List.of() : inventory.packages();
    Map<String, Set<String>> installed = AdvisorySelection.installedArches(packages);
    Map<String, Advisory> advisories = new LinkedHashMap<>();
    for (Advisory a : inventory.advisories() == null ? List.<Advisory>of() : inventory.advisories()) {
      if (a != null && a.id() != null && a.packages() != null && a.cves() != null) {
        advisories.merge(a.id(), a, AdvisorySelection::union);
      }
    }
    for (String checksum : new LinkedHashSet<>(checksums)) {
      UpdateInfoFile file = catalog.find(checksum).orElseThrow(() -> HostErrorKind.METADATA_UNAVAILABLE.failure(
          "the agent left the updateinfo file " + checksum + " to the platform's advisory catalog, which no longer"
              + " has it, so no report was made (it could say COMPLIANT falsely); the host's next scan reads it"
              + " on the host"));
      for (Advisory a : file.advisories()) {
        Advisory relevant = AdvisorySelection.relevantPart(a, installed);
        if (relevant != null) {
          advisories.merge(relevant.id(), relevant, AdvisorySelection::union);
        }
      }
    }
    return EngineInventory.compact(new HostInventory(inventory.osId(), inventory.osVersion(), inventory.product(),
        inventory.runningKernel(), inventory.bootTime(), packages, inventory.kernelPackageNames(),
        List.copyOf(advisories.values()), inventory.needsRestarting(), inventory.metadataAgeSeconds(), null));
  }

  private static String shortened(String value) {
    return value == null ? "null" : value.length() > 80 ? value.substring(0, 80) + "..." : value;
  }
}
