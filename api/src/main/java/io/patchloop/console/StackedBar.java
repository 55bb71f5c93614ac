package io.patchloop.console;

import io.patchloop.compliance.PatchState;
import io.patchloop.reports.ComplianceSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A horizontal bar split into parts, drawn by the template as an SVG in a 100-wide view box: no
 * chart library, no script, and a text label (aria-label and the tables beside it) that says the
 * same numbers, since colour alone tells nothing to a screen reader.
 */
record StackedBar(List<Part> parts, String label) {

  /** One part: where it starts and how wide it is, out of 100, and the CSS class that colours it. */
  record Part(double x, double width, String tone, long count, String name) {}

  static StackedBar of(List<String> names, List<String> tones, List<Long> counts) {
    long total = counts.stream().mapToLong(Long::longValue).sum();
    List<Part> parts = new ArrayList<>();
    List<String> words = new ArrayList<>();
    double x = 0;
    for (int i = 0; i < counts.size(); i++) {
      double width = total == 0 ? 0 : 100.0 * counts.get(i) / total;
      parts.add(new Part(x, width, tones.get(i), counts.get(i), names.get(i)));
      words.add(counts.get(i) + " " + names.get(i));
      x += width;
    }
    return new StackedBar(List.copyOf(parts), String.join(", ", words));
  }

  /** Hosts by the status of their newest report. */
  static StackedBar hosts(ComplianceSummary.Totals t) {
    return of(List.of("compliant", "non-compliant", "never scanned"), List.of("fill-good", "fill-bad", "fill-none"),
        List.of(t.compliant(), t.nonCompliant(), t.unknown()));
  }

  /** The non-compliant patches of a count by state: missing, failed, pending a restart, rejected but installed. */
  static StackedBar nonCompliantPatches(Map<String, Long> byState) {
    return of(List.of("missing", "failed", "pending restart", "rejected"),
        List.of("fill-bad", "fill-failed", "fill-busy", "fill-rejected"),
        List.of(count(byState, PatchState.MISSING), count(byState, PatchState.FAILED),
            count(byState, PatchState.INSTALLED_PENDING_REBOOT), count(byState, PatchState.INSTALLED_REJECTED)));
  }

  /** Patches in a non-compliant state, whatever the state. */
  static long nonCompliant(Map<String, Long> byState) {
    long n = 0;
    for (PatchState s : PatchState.values()) {
      if (!s.compliant()) {
        n += count(byState, s);
      }
    }
    return n;
  }

  private static long count(Map<String, Long> byState, PatchState state) {
    return byState.getOrDefault(state.name(), 0L);
  }
}
