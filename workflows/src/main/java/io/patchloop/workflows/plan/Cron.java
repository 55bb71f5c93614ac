package io.patchloop.workflows.plan;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;

/**
 * A standard five-field cron expression (minute hour day-of-month month day-of-week), as crontab
 * reads it: {@code *}, numbers, ranges {@code a-b}, lists {@code a,b}, steps {@code * /n} and
 * {@code a-b/n}, month and day names ({@code JAN}, {@code MON}), Sunday as 0 or 7. When both
 * day-of-month and day-of-week are restricted, a day matching either fires (crontab's rule).
 *
 * <p>Pure and deterministic, so workflow code may compute fire times with it. Times are local to
 * the plan's zone: a local time skipped by a daylight-saving change does not fire that day, a
 * repeated one fires once.
 */
public final class Cron {

  private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
      "NOV", "DEC"};
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private Cron(String expression) {
    this.expression = expression;
    String[] f = expression.trim().split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException("needs 5 fields (minute hour day-of-month month day-of-week), has " + f.length);
    }
    minutes = field(f[0], 0, 59, null, "minute");
    hours = field(f[1], 0, 23, null, "hour");
    daysOfMonth = field(f[2], 1, 31, null, "day-of-month");
    months = field(f[3], 1, 12, MONTHS, "month");
    BitSet dow = field(f[4], 0, 7, DAYS, "day-of-week");
    if (dow.get(7)) {
      dow.set(0);
      dow.clear(7);
    }
    daysOfWeek = dow;
    anyDayOfMonth = f[2].equals("*");
    anyDayOfWeek = f[4].equals("*");
  }

  /** @throws IllegalArgumentException with a reason a person can act on */
  public static Cron parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("is empty");
    }
    return new Cron(expression);
  }

  /** The first fire time strictly after {@code after}, in {@code zone}. */
  public ZonedDateTime next(ZonedDateTime after, ZoneId zone) {
    LocalDateTime t = after.withZoneSameInstant(zone).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    LocalDateTime limit = t.plusYears(5);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1);
        continue;
      }
      if (!dayMatches(t)) {
        t = t.withHour(0).withMinute(0).plusDays(1);
        continue;
      }
      if (!hours.get(t.getHour())) {
        t = t.withMinute(0).plusHours(1);
        continue;
      }
      if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
        continue;
      }
      ZonedDateTime z = t.atZone(zone);
      if (z.toLocalDateTime().equals(t) && z.isAfter(after)) {
        return z; // a local time that exists in the zone (not skipped by a DST change)
      }
      t = t.plusMinutes(1);
    }
    throw new IllegalArgumentException("'" + expression + "' never fires");
  }

  private boolean dayMatches(LocalDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
    if (anyDayOfMonth || anyDayOfWeek) {
      return dom && dow;
    }
    return dom || dow;
  }

  private static BitSet field(String text, int min, int max, String[] names, String what) {
    BitSet bits = new BitSet(max + 1);
    for (String part : text.split(",", -1)) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), 1, max, null, what + " step");
        range = part.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.indexOf('-') > 0) {
        from = number(range.substring(0, range.indexOf('-')), min, max, names, what);
        to = number(range.substring(range.indexOf('-') + 1), min, max, names, what);
        if (to < from) {
          throw new IllegalArgumentException(what + " range '" + range + "' runs backwards");
        }
      } else {
        from = number(range, min, max, names, what);
        to = slash >= 0 ? max : from;
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String s, int min, int max, String[] names, String what) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(s.toUpperCase(Locale.ROOT))) {
          return names == MONTHS ? i + 1 : i;
        }
      }
    }
    try {
      int v = Integer.parseInt(s);
      if (v < min || v > max) {
        throw new IllegalArgumentException(what + " " + v + " is outside " + min + "-" + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " '" + s + "' is not a number" + (names == null ? "" : " or a name"));
    }
  }

  @Override
  public String toString() {
    return expression;
  }
}
