package io.patchloop.compliance;

import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A host's inventory cut to what {@link ComplianceEngine} reads of it, which is what a host step
 * hands on through Temporal. The engine looks an advisory's package entries up by installed name
 * and arch and ignores entries it does not find, and it looks installed packages up only by the
 * names of entries. So it gives the same result for the cut inventory: the entries of an installed
 * name and arch, the advisories left with one, and the installed packages (every arch and version)
 * of a name such an entry names.
 *
 * <p>An inventory that still awaits advisories from the catalog
 * ({@link HostInventory#awaitsCatalogAdvisories}) is left whole: which installed packages an
 * advisory names is known only once they are added, centrally, and cut there.
 */
public final class EngineInventory {

  private EngineInventory() {}

  public static HostInventory compact(HostInventory inventory) {
    if (inventory.awaitsCatalogAdvisories()) {
      return inventory;
    }
    List<InstalledPackage> installed = inventory.packages() == null ? List.of() : inventory.packages();
    Map<String, Set<String>> archesByName = new HashMap<>();
    for (InstalledPackage p : installed) {
      if (p != null && p.name() != null) {
        archesByName.computeIfAbsent(p.name(), n -> new HashSet<>(2)).add(p.arch());
      }
    }
    List<Advisory> advisories = new ArrayList<>();
    Set<String> named = new HashSet<>();
    for (Advisory a : inventory.advisories() == null ? List.<Advisory>of() : inventory.advisories()) {
      if (a == null || a.packages() == null) {
        continue;
      }
      List<AdvisoryPackage> entries = new ArrayList<>(a.packages().size());
      for (AdvisoryPackage e : a.packages()) {
        Set<String> arches = e == null ? null : archesByName.get(e.name());
        if (arches != null && arches.contains(e.arch())) {
          entries.add(e);
          named.add(e.name());
        }
      }
      if (!entries.isEmpty()) {
        advisories.add(entries.size() == a.packages().size() ? a : new Advisory(a.id(), a.title(), a.type(),
            a.category(), a.severity(), a.issued(), List.copyOf(entries), a.cves(), a.rebootSuggested()));
      }
    }
    List<InstalledPackage> packages = new ArrayList<>();
    for (InstalledPackage p : installed) {
      if (p != null && named.contains(p.name())) {
        packages.add(p);
      }
    }
    return new HostInventory(inventory.osId(), inventory.osVersion(), inventory.product(), inventory.runningKernel(),
        inventory.bootTime(), List.copyOf(packages), inventory.kernelPackageNames(), List.copyOf(advisories),
        inventory.needsRestarting(), inventory.metadataAgeSeconds());
  }
}
