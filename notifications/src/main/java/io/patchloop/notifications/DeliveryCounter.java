package io.patchloop.notifications;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.patchloop.metrics.MeterRegistries;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code patchloop_notification_deliveries_total{channel_type, result}}: each attempt to hand a
 * delivery to its channel: sent; failed (tried again later); rejected (the channel refused it for
 * good: misconfigured). A channel's test message is not a delivery and is not counted.
 */
@Component
class DeliveryCounter {

  static final String SENT = "sent";
  static final String FAILED = "failed";
  static final String REJECTED = "rejected";

  private final MeterRegistry registry;

  DeliveryCounter(ObjectProvider<MeterRegistry> registries) {
    this.registry = MeterRegistries.of(registries);
  }

  void count(ChannelType type, String result) {
    Counter.builder("patchloop.notification.deliveries")
        .description("attempts to hand a notification delivery to its channel, by channel type and result")
        .tag("channel_type", type.name().toLowerCase(Locale.ROOT))
        .tag("result", result)
        .register(registry)
        .increment();
  }
}
