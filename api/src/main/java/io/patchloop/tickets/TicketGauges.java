package io.patchloop.tickets;

import io.micrometer.core.instrument.Tags;
import io.patchloop.metrics.DatabaseGauges;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** {@code patchloop_tickets{operation, status}}: tickets by operation and status, read from the database by the API process. */
@Component
class TicketGauges {

  TicketGauges(DatabaseGauges gauges, TicketStore tickets) {
    gauges.register(new DatabaseGauges.Family("patchloop.tickets", "tickets by operation and status", () -> {
      Map<Tags, Long> counts = new HashMap<>();
      for (var c : tickets.countByOperationAndStatus()) {
        counts.put(Tags.of("operation", c.operation().name(), "status", c.status().name()), c.count());
      }
      return counts;
    }));
  }
}
