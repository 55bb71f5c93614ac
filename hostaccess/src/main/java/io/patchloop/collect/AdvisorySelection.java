package io.patchloop.collect;

import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.InstalledPackage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which part of an updateinfo file concerns a host: the package entries of an installed name and
 * arch (the compliance engine matches nothing else), and one advisory where two repositories list
 * the same one. The same choice wherever it is made: by the collector, on the workers or on the
 * agent, and centrally for the files an agent left to the catalog.
 */
public final class AdvisorySelection {

  private AdvisorySelection() {}

  /** The arches installed of each package name; entries without a name (an agent's garbage) are skipped. */
  public static Map<String, Set<String>> installedArches(Collection<InstalledPackage> packages) {
    Map<String, Set<String>> installed = new HashMap<>();
    for (InstalledPackage p : packages) {
      if (p != null && p.name() != null) {
        installed.computeIfAbsent(p.name(), n -> new HashSet<>(2)).add(p.arch());
      }
    }
    return installed;
  }

  /** Whether the entry is of an installed name and arch. */
  public static boolean installed(Map<String, Set<String>> installed, AdvisoryPackage entry) {
    Set<String> arches = entry == null ? null : installed.get(entry.name());
    return arches != null && arches.contains(entry.arch());
  }

  /** Of an advisory, the package entries of an installed name and arch; null when none. */
  public static Advisory relevantPart(Advisory a, Map<String, Set<String>> installed) {
    return withEntries(a, entry -> installed(installed, entry));
  }

  /** The advisory with only the package entries {@code keep} accepts; the same advisory when all are; null when none. */
  static Advisory withEntries(Advisory a, Predicate<AdvisoryPackage> keep) {
    List<AdvisoryPackage> kept = new ArrayList<>(a.packages().size());
    for (AdvisoryPackage p : a.packages()) {
      if (keep.test(p)) {
        kept.add(p);
      }
    }
    if (kept.isEmpty()) {
      return null;
    }
    return kept.size() == a.packages().size() ? a : new Advisory(a.id(), a.title(), a.type(), a.category(), a.severity(),
        a.issued(), List.copyOf(kept), a.cves(), a.rebootSuggested());
  }

  /** The same advisory from two repositories (a mirror and an update repo): one advisory with both package lists. */
  public static Advisory union(Advisory a, Advisory b) {
    var pkgs = new LinkedHashSet<AdvisoryPackage>(a.packages());
    pkgs.addAll(b.packages());
    var cves = new LinkedHashSet<String>(a.cves());
    cves.addAll(b.cves());
    return new Advisory(a.id(), a.title(), a.type(), a.category(), a.severity(), a.issued() != null ? a.issued() : b.issued(),
        new ArrayList<>(pkgs), new ArrayList<>(cves), a.rebootSuggested() || b.rebootSuggested());
  }
}
