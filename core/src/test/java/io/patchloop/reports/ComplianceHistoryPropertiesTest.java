package io.patchloop.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** patchloop.history.* bound as the applications bind it; a bad value stops the start, naming the property. */
class ComplianceHistoryPropertiesTest {

  @Configuration
  @EnableConfigurationProperties(ComplianceHistoryProperties.class)
  static class Bound {}

  final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Bound.class);

  @Test
  void defaultsToOneOClockNoTagKeysAndFourHundredDays() {
    runner.run(context -> assertThat(context.getBean(ComplianceHistoryProperties.class))
        .isEqualTo(new ComplianceHistoryProperties(LocalTime.of(1, 0), List.of(), 400)));
    // as patchloop-common.yaml passes unset variables on
    runner.withPropertyValues("patchloop.history.time=01:00", "patchloop.history.tag-keys=",
            "patchloop.history.retention-days=400")
        .run(context -> assertThat(context.getBean(ComplianceHistoryProperties.class))
            .isEqualTo(new ComplianceHistoryProperties(LocalTime.of(1, 0), List.of(), 400)));
  }

  @Test
  void bindsATimeTagKeysAndRetention() {
    runner.withPropertyValues("patchloop.history.time=23:30", "patchloop.history.tag-keys=zone,app/tier",
            "patchloop.history.retention-days=90")
        .run(context -> {
          ComplianceHistoryProperties p = context.getBean(ComplianceHistoryProperties.class);
          assertThat(p.time()).isEqualTo(LocalTime.of(23, 30));
          assertThat(p.tagKeys()).containsExactly("zone", "app/tier");
          assertThat(p.retentionDays()).isEqualTo(90);
        });
  }

  @Test
  void refusesToStartWithABadValueNamingTheProperty() {
    for (String[] bad : List.of(
        new String[] {"patchloop.history.time=25:00", "patchloop.history.time"},
        new String[] {"patchloop.history.time=1am", "patchloop.history.time"},
        new String[] {"patchloop.history.tag-keys=zone,-bad", "patchloop.history.tag-keys"},
        new String[] {"patchloop.history.tag-keys=zone,zone", "patchloop.history.tag-keys"},
        new String[] {"patchloop.history.retention-days=0", "patchloop.history.retention-days"},
        new String[] {"patchloop.history.retention-days=many", "patchloop.history.retention-days"})) {
      runner.withPropertyValues(bad[0]).run(context -> {
        assertThat(context).as(bad[0]).hasFailed();
        Throwable cause = context.getStartupFailure();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause()) {
          messages.append(t.getMessage()).append('\n');
        }
        assertThat(messages.toString()).as(bad[0]).contains(bad[1]);
      });
    }
  }
}
