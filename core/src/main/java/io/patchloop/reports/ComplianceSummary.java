package io.patchloop.reports;

import java.util.Map;

/**
 * The fleet's compliance at a glance, from each host's newest report.
 *
 * @param overall every host
 * @param groups by OS family name or by a tag's value ({@value #NO_TAG} for hosts without the tag),
 *     in key order with {@value #NO_TAG} last; empty when not grouped
 */
public record ComplianceSummary(Totals overall, Map<String, Totals> groups) {

  /** The group of hosts that lack the tag grouped by. */
  public static final String NO_TAG = "(none)";

  /**
   * Counts over a set of hosts.
   *
   * @param unknown hosts never scanned (no report)
   * @param patchesByState reported patches of all these hosts: every PatchState name, 0 where none
   * @param patchesByLevel every ComplianceLevel name with every PatchState name; patches without a
   *     level (INSTALLED_OTHER) are not counted here
   */
  public record Totals(
      long hosts,
      long compliant,
      long nonCompliant,
      long unknown,
      Map<String, Long> patchesByState,
      Map<String, Map<String, Long>> patchesByLevel) {}
}
