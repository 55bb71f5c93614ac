package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.common.OsFamily;
import io.patchloop.hosts.Host;
import io.patchloop.tickets.TicketSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan pages say which hosts a plan takes, every filter of its selector included. */
class PlanHostsDescriptionTest {

  @Test
  void everyFilterOfTheSelectorIsNamedTheAdvisoryIncluded() {
    assertThat(PlanPagesController.describeHosts(new TicketSpec.Selector(Map.of("zone", "az1"), OsFamily.HCE, null,
        Host.ComplianceStatus.NON_COMPLIANT, "HCE2-SA-2026-0001")))
        .isEqualTo("hosts tagged zone:az1, OS HCE, newest report NON_COMPLIANT, missing advisory HCE2-SA-2026-0001");
    assertThat(PlanPagesController.describeHosts(new TicketSpec.Selector(null, null, null, null, "RHSA-2024:1234")))
        .isEqualTo("hosts missing advisory RHSA-2024:1234");
    assertThat(PlanPagesController.describeHosts(new TicketSpec.Selector(null, null, true, null))).isEqualTo("every host");
  }
}
