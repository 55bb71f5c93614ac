package io.patchloop.common;

import io.patchloop.workflows.plan.Cron;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** The checks of a cron expression in an IANA zone, as inspection plans and maintenance windows take them. */
public final class CronSchedule {

  /** As wide as the stored columns. */
  public static final int MAX_CRON_LENGTH = 128;
  public static final int MAX_TIME_ZONE_LENGTH = 64;

  private CronSchedule() {}

  /** Adds a problem for {@code cron} and {@code timeZone} each that cannot be used, with what to write instead. */
  public static void check(Problems problems, String cron, String timeZone) {
    ZoneId zone = null;
    if (problems.maxLength("timeZone", timeZone, MAX_TIME_ZONE_LENGTH)) {
      try {
        zone = ZoneId.of(timeZone);
      } catch (DateTimeException e) {
        problems.add("timeZone", "is not a time zone; use an IANA name such as Asia/Shanghai or UTC");
      }
    }
    if (problems.required("cron", cron) && problems.maxLength("cron", cron, MAX_CRON_LENGTH)) {
      try {
        Cron parsed = Cron.parse(cron);
        if (zone != null) {
          parsed.next(ZonedDateTime.now(zone), zone); // "0 0 31 2 *" parses but never fires
        }
      } catch (IllegalArgumentException e) {
        problems.add("cron", e.getMessage());
      }
    }
  }
}
