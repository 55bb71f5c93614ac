package io.patchloop.workflows.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronTest {

  static final ZoneId UTC = ZoneId.of("UTC");

  static ZonedDateTime at(String iso, ZoneId zone) {
    return ZonedDateTime.parse(iso).withZoneSameInstant(zone);
  }

  @Test
  void nightlyFiresAtTheNextTwoOClock() {
    Cron c = Cron.parse("0 2 * * *");
    assertThat(c.next(at("2026-11-27T01:59:59Z", UTC), UTC)).isEqualTo(at("2026-11-27T02:00:00Z", UTC));
    assertThat(c.next(at("2026-11-27T02:00:00Z", UTC), UTC)).as("strictly after").isEqualTo(at("2026-11-28T02:00:00Z", UTC));
  }

  @Test
  void listsRangesStepsAndNames() {
    Cron c = Cron.parse("*/15 9-17 * * MON-FRI");
    // Saturday 2026-11-28 -> Monday 09:00
    assertThat(c.next(at("2026-11-27T17:50:00Z", UTC), UTC)).isEqualTo(at("2026-11-30T09:00:00Z", UTC));
    assertThat(c.next(at("2026-11-30T09:00:00Z", UTC), UTC)).isEqualTo(at("2026-11-30T09:15:00Z", UTC));
    assertThat(Cron.parse("30 4 1,15 JAN,jul *").next(at("2026-11-27T00:00:00Z", UTC), UTC))
        .isEqualTo(at("2027-01-01T04:30:00Z", UTC));
    assertThat(Cron.parse("0 0 * * 7").next(at("2026-11-27T00:00:00Z", UTC), UTC)).as("7 is Sunday")
        .isEqualTo(at("2026-11-29T00:00:00Z", UTC));
  }

  @Test
  void dayOfMonthOrDayOfWeekWhenBothAreGiven() {
    // the 1st of the month or any Friday: Friday 2026-11-27 comes first
    assertThat(Cron.parse("0 6 1 * FRI").next(at("2026-11-26T12:00:00Z", UTC), UTC))
        .isEqualTo(at("2026-11-27T06:00:00Z", UTC));
  }

  @Test
  void localTimeOfTheZoneAndASkippedDstHour() {
    ZoneId shanghai = ZoneId.of("Asia/Shanghai");
    assertThat(Cron.parse("0 2 * * *").next(at("2026-11-27T00:00:00Z", shanghai), shanghai).toInstant())
        .isEqualTo(at("2026-11-27T18:00:00Z", UTC).toInstant());
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    // 2027-03-28 02:30 does not exist in Berlin: the next 02:30 is the day after
    assertThat(Cron.parse("30 2 * * *").next(at("2027-03-27T12:00:00+01:00", berlin), berlin).toLocalDate())
        .hasToString("2027-03-29");
  }

  @Test
  void badExpressionsSayWhy() {
    assertThatThrownBy(() -> Cron.parse("0 2 * *")).hasMessageContaining("needs 5 fields");
    assertThatThrownBy(() -> Cron.parse("61 2 * * *")).hasMessageContaining("minute 61 is outside 0-59");
    assertThatThrownBy(() -> Cron.parse("0 2 * FOO *")).hasMessageContaining("month 'FOO' is not a number or a name");
    assertThatThrownBy(() -> Cron.parse("0 5-2 * * *")).hasMessageContaining("runs backwards");
    assertThatThrownBy(() -> Cron.parse("0 0 31 2 *").next(at("2026-11-27T00:00:00Z", UTC), UTC))
        .hasMessageContaining("never fires");
  }
}
