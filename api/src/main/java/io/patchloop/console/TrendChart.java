package io.patchloop.console;

import io.patchloop.reports.ComplianceHistoryPoint;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hosts compliant, non-compliant and never scanned per day, from the daily snapshots: one stacked
 * column per day (all baselines together), drawn by the template as an SVG with a table beside it
 * that says the same numbers. A day without a snapshot has no column.
 */
record TrendChart(List<Day> days, String label) {

  /** Width of one day's column in the SVG's view box; the box is 100 high. */
  static final int COLUMN = 10;

  /** One day, and its column's three parts from the bottom: compliant, non-compliant, never scanned (heights out of 100). */
  record Day(LocalDate day, int x, long compliant, long nonCompliant, long unknown, double compliantHeight,
      double nonCompliantHeight, double unknownHeight) {

    long hosts() {
      return compliant + nonCompliant + unknown;
    }

    /** The share of scanned and unscanned hosts that are compliant, as people read it: "87.5 %". */
    public String compliantShare() {
      return hosts() == 0 ? "–" : String.format(Locale.ROOT, "%.1f %%", 100.0 * compliant / hosts());
    }
  }

  static TrendChart of(List<ComplianceHistoryPoint> points) {
    Map<LocalDate, long[]> byDay = new TreeMap<>();
    for (ComplianceHistoryPoint p : points) {
      if (p.group() == null) {
        long[] c = byDay.computeIfAbsent(p.day(), d -> new long[3]);
        c[0] += p.compliant();
        c[1] += p.nonCompliant();
        c[2] += p.unknown();
      }
    }
    long most = byDay.values().stream().mapToLong(c -> c[0] + c[1] + c[2]).max().orElse(0);
    List<Day> days = new ArrayList<>();
    int x = 0;
    for (var e : byDay.entrySet()) {
      long[] c = e.getValue();
      days.add(new Day(e.getKey(), x, c[0], c[1], c[2], height(c[0], most), height(c[1], most), height(c[2], most)));
      x += COLUMN;
    }
    String label = days.isEmpty() ? "no snapshot yet"
        : days.get(0).day() + ": " + days.get(0).compliantShare() + " compliant; " + days.get(days.size() - 1).day() + ": "
            + days.get(days.size() - 1).compliantShare() + " compliant";
    return new TrendChart(List.copyOf(days), label);
  }

  /** The SVG's width: one column per day. */
  public int width() {
    return Math.max(COLUMN, days.size() * COLUMN);
  }

  private static double height(long n, long most) {
    return most == 0 ? 0 : Math.round(1000.0 * n / most) / 10.0;
  }
}
