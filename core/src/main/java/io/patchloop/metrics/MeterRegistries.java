package io.patchloop.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;

/** The application's meter registry for the meter classes of each feature. */
public final class MeterRegistries {

  private MeterRegistries() {}

  /**
   * The registry the actuator made; a context without one (a module's store tests start no
   * actuator) gets a registry of its own that nobody reads, so the features need no null checks.
   */
  public static MeterRegistry of(ObjectProvider<MeterRegistry> registries) {
    return registries.getIfAvailable(SimpleMeterRegistry::new);
  }
}
