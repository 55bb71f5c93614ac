package io.patchloop.reports;

import io.micrometer.core.instrument.Tags;
import io.patchloop.metrics.DatabaseGauges;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code patchloop_compliance_hosts{baseline, status}}: hosts per compliance status of their newest
 * report, per baseline (by name: a baseline is a handful per fleet, a host never a tag).
 */
@Component
class ComplianceGauges {

  ComplianceGauges(DatabaseGauges gauges, ReportStore reports) {
    gauges.register(new DatabaseGauges.Family("patchloop.compliance.hosts",
        "hosts by the compliance status of their newest report, per baseline", () -> {
          Map<Tags, Long> counts = new HashMap<>();
          for (var c : reports.countByBaselineAndStatus()) {
            counts.put(Tags.of("baseline", c.baseline(), "status", c.status()), c.count());
          }
          return counts;
        }));
  }
}
