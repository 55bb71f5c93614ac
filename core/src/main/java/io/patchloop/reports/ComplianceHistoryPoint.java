package io.patchloop.reports;

import java.time.LocalDate;
import java.util.Map;

/**
 * One day of one baseline's compliance, for all its hosts or one group of them.
 *
 * @param group null for all the baseline's hosts, else the OS family or the tag value
 *     ({@value ComplianceSummary#NO_TAG} for hosts without the tag)
 * @param byState patches by state, as {@link ComplianceSummary.Totals#patchesByState()}
 * @param byLevel patches by compliance level and state, as {@link ComplianceSummary.Totals#patchesByLevel()}
 */
public record ComplianceHistoryPoint(
    LocalDate day,
    long baselineId,
    String baselineName,
    String group,
    long hosts,
    long compliant,
    long nonCompliant,
    long unknown,
    Map<String, Long> byState,
    Map<String, Map<String, Long>> byLevel) {}
