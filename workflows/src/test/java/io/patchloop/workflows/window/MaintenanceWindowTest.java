package io.patchloop.workflows.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** When a window is open and when that changes, in the window's own zone. */
class MaintenanceWindowTest {

  static final MaintenanceWindow SUNDAY_NIGHT = new MaintenanceWindow("sunday-night", "0 2 * * SUN", "Asia/Shanghai",
      240, MaintenanceWindow.OnClose.WAIT);

  static long at(String local) {
    return ZonedDateTime.parse(local).toInstant().toEpochMilli();
  }

  @Test
  void openFromItsStartForItsDuration() {
    // 2026-12-06 is a Sunday
    assertThat(SUNDAY_NIGHT.at(at("2026-12-06T02:00+08:00[Asia/Shanghai]")))
        .isEqualTo(new MaintenanceWindow.State(true, at("2026-12-06T06:00+08:00[Asia/Shanghai]")));
    assertThat(SUNDAY_NIGHT.at(at("2026-12-06T05:59:59+08:00[Asia/Shanghai]")).open()).isTrue();
  }

  @Test
  void closedBeforeAndAfterWithTheNextOpening() {
    assertThat(SUNDAY_NIGHT.at(at("2026-12-05T23:00+08:00[Asia/Shanghai]")))
        .isEqualTo(new MaintenanceWindow.State(false, at("2026-12-06T02:00+08:00[Asia/Shanghai]")));
    assertThat(SUNDAY_NIGHT.at(at("2026-12-06T06:00+08:00[Asia/Shanghai]")))
        .as("the end is outside").isEqualTo(new MaintenanceWindow.State(false, at("2026-12-13T02:00+08:00[Asia/Shanghai]")));
    // the same instant seen from UTC: Saturday 18:00 UTC is Sunday 02:00 in Shanghai
    assertThat(SUNDAY_NIGHT.at(at("2026-12-05T18:30Z")).open()).isTrue();
  }

  /** Openings that come closer together than the duration keep the window open from one to the next. */
  @Test
  void overlappingOpeningsStayOpen() {
    MaintenanceWindow hourly = new MaintenanceWindow("hourly", "0 * * * *", "UTC", 90, null);
    MaintenanceWindow.State s = hourly.at(at("2026-12-06T10:45Z"));
    assertThat(s.open()).isTrue();
    assertThat(hourly.at(s.changesAtMillis()).open()).as("at the first opening's end the next is open").isTrue();
    assertThat(hourly.onCloseOrDefault()).isEqualTo(MaintenanceWindow.OnClose.WAIT);
  }
}
