package io.patchloop.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** The database gauges' refresher, shared by the features that register a family with it. */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

  @Bean(destroyMethod = "close")
  DatabaseGauges databaseGauges(ObjectProvider<MeterRegistry> registries, MetricsProperties properties) {
    return new DatabaseGauges(MeterRegistries.of(registries), properties.refreshInterval());
  }

  /** Started once every feature has registered its families (they do so as their beans are made). */
  @EventListener(ApplicationReadyEvent.class)
  void startRefreshing(ApplicationReadyEvent ready) {
    ready.getApplicationContext().getBean(DatabaseGauges.class).start();
  }
}
