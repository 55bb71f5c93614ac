package io.patchloop.plans;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.common.JsonText;
import io.patchloop.common.OsFamily;
import io.patchloop.hosts.Host;
import io.patchloop.tickets.TicketSpec;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.ticket.Operation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A plan's metadata refresh: AUTO when left out, and carried by every ticket the plan starts. */
class PlanSpecTest {

  static PlanSpec plan(MetadataRefresh refresh) {
    return new PlanSpec("nightly", "0 2 * * *", null, new TicketSpec.Selector(null, null, true, null), null, null,
        null, null, refresh, null, null);
  }

  @Test
  void aPlanWithoutAMetadataRefreshIsNormalizedToAuto() {
    assertThat(plan(null).normalized().metadataRefresh()).isEqualTo(MetadataRefresh.AUTO);
    assertThat(plan(MetadataRefresh.NEVER).normalized().metadataRefresh()).isEqualTo(MetadataRefresh.NEVER);
  }

  @Test
  void thePlansTicketCarriesItsMetadataRefresh() {
    TicketSpec ticket = plan(MetadataRefresh.ALWAYS).normalized().ticket();
    assertThat(ticket.operation()).isEqualTo(Operation.SCAN);
    assertThat(ticket.metadataRefresh()).isEqualTo(MetadataRefresh.ALWAYS);
    assertThat(plan(null).normalized().ticket().metadataRefresh()).isEqualTo(MetadataRefresh.AUTO);
  }

  /** inspection_plans.selector holds the selector as JSON: one stored before missingAdvisory still reads. */
  @Test
  void aSelectorStoredBeforeTheMissingAdvisoryFilterReadsBackAndTheNewOneRoundTrips() {
    TicketSpec.Selector before = JsonText.read("{\"tags\":{\"zone\":\"az1\"},\"osFamily\":\"HCE\",\"all\":null,"
        + "\"complianceStatus\":\"NON_COMPLIANT\"}", TicketSpec.Selector.class, "inspection_plans");
    assertThat(before).isEqualTo(new TicketSpec.Selector(Map.of("zone", "az1"), OsFamily.HCE, null,
        Host.ComplianceStatus.NON_COMPLIANT, null));
    TicketSpec.Selector missing = new TicketSpec.Selector(null, null, null, null, "HCE2-SA-2026-0001");
    assertThat(JsonText.read(JsonText.write(missing), TicketSpec.Selector.class, "inspection_plans")).isEqualTo(missing);
  }
}
