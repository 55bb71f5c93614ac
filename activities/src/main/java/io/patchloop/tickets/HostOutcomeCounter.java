package io.patchloop.tickets;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.patchloop.metrics.MeterRegistries;
import io.patchloop.workflows.ticket.HostOutcome;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code patchloop_host_outcomes_total{operation, outcome, error_kind}}: hosts that finished in a
 * ticket, counted where the ticket's record gets them and only when this write finished them
 * ({@link TicketStore#recordOutcomes}), so a retried call counts nothing twice. error_kind is the
 * failure's {@code HostErrorKind}, "none" for a host that succeeded or did not run.
 */
@Component
class HostOutcomeCounter {

  private final MeterRegistry registry;

  HostOutcomeCounter(ObjectProvider<MeterRegistry> registries) {
    this.registry = MeterRegistries.of(registries);
  }

  void count(TicketStore.RecordedOutcomes recorded) {
    for (HostOutcome o : recorded.newlyFinished()) {
      Counter.builder("patchloop.host.outcomes")
          .description("hosts that finished in a ticket, by operation, outcome and error kind")
          .tag("operation", recorded.operation().name())
          .tag("outcome", o.state().name().toLowerCase(Locale.ROOT))
          .tag("error_kind", o.errorKind() == null ? "none" : o.errorKind().name())
          .register(registry)
          .increment();
    }
  }
}
