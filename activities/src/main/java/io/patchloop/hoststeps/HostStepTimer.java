package io.patchloop.hoststeps;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.patchloop.metrics.MeterRegistries;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code patchloop_host_step_duration_seconds{step, outcome}}: how long the host steps the central
 * worker runs take (the SSH steps, and the central record steps of every host), as a histogram so
 * that p50 and p95 come from {@code histogram_quantile}. outcome is success or failure; the kind of a
 * failure is on {@code patchloop_host_outcomes_total}. An agent's own steps run on its host and are
 * not timed here.
 */
@Component
class HostStepTimer {

  /** The steps, as the tag says them. */
  static final String COLLECT = "collect";
  static final String INSTALL = "install";
  static final String REBOOT_REQUEST = "reboot_request";
  static final String REBOOT_WAIT = "reboot_wait";
  static final String PLAN_REPAIR = "plan_repair";
  static final String RECORD_SCAN = "record_scan";
  static final String RECORD_REPAIR = "record_repair";
  static final String HOOK = "hook";

  private final MeterRegistry registry;

  HostStepTimer(ObjectProvider<MeterRegistry> registries) {
    this.registry = MeterRegistries.of(registries);
  }

  <T> T time(String step, Supplier<T> work) {
    long start = System.nanoTime();
    String outcome = "failure";
    try {
      T result = work.get();
      outcome = "success";
      return result;
    } finally {
      timer(step, outcome).record(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private Timer timer(String step, String outcome) {
    return Timer.builder("patchloop.host.step.duration")
        .description("host steps run by the central worker, by step and outcome")
        .tag("step", step)
        .tag("outcome", outcome)
        // a central record step takes milliseconds, a reboot wait up to its timeout
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(5))
        .maximumExpectedValue(Duration.ofHours(1))
        .register(registry);
  }
}
