package io.patchloop.plans;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.common.JsonText;
import io.patchloop.common.OsFamily;
import io.patchloop.hosts.Host;
import io.patchloop.tickets.TicketSpec;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.ticket.Operation;
import java.util.List;
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

  static PlanSpec repairing(Operation operation, Operation afterScan, String preHook, TicketSpec.Selector selector) {
    return new PlanSpec("weekly", "0 1 * * SUN", null, selector, 3L, null, 4, null, null, null, null, operation,
        afterScan, RebootOption.REBOOT_IF_NEEDED, null, preHook, "health", "sunday-night", null);
  }

  static java.util.List<String> problems(PlanSpec spec) {
    return spec.normalized().validate().list().stream().map(p -> p.field() + ": " + p.reason()).toList();
  }

  /** A REPAIR plan's run repairs its hosts that are NON_COMPLIANT now, with the plan's repair settings. */
  @Test
  void aRepairPlansTicketRepairsItsNonCompliantHosts() {
    TicketSpec.Selector prod = new TicketSpec.Selector(Map.of("env", "prod"), OsFamily.HCE, null, null);
    TicketSpec ticket = repairing(Operation.REPAIR, null, "drain", prod).normalized().ticket();
    assertThat(ticket.operation()).isEqualTo(Operation.REPAIR);
    assertThat(ticket.selector()).isEqualTo(new TicketSpec.Selector(Map.of("env", "prod"), OsFamily.HCE, null,
        Host.ComplianceStatus.NON_COMPLIANT));
    assertThat(ticket.baselineId()).isEqualTo(3L);
    assertThat(List.of(ticket.rebootOption(), ticket.preHook(), ticket.postHook(), ticket.maintenanceWindow()))
        .containsExactly(RebootOption.REBOOT_IF_NEEDED, "drain", "health", "sunday-night");
    TicketSpec.Selector all = new TicketSpec.Selector(null, null, true, null);
    assertThat(repairing(Operation.REPAIR, null, null, all).normalized().ticket().selector())
        .as("all hosts, narrowed by their status: no longer 'all'")
        .isEqualTo(new TicketSpec.Selector(null, null, null, Host.ComplianceStatus.NON_COMPLIANT));

    PlanSpec afterScan = repairing(null, Operation.REPAIR, null, all).normalized();
    assertThat(afterScan.ticket().operation()).isEqualTo(Operation.SCAN);
    assertThat(afterScan.ticket().preHook()).isNull();
    assertThat(afterScan.repairAfterScan(List.of(7L, 9L)).hostIds()).containsExactly(7L, 9L);
    assertThat(afterScan.repairAfterScan(List.of(7L)).maintenanceWindow()).isEqualTo("sunday-night");
    assertThat(problems(afterScan)).isEmpty();
  }

  @Test
  void repairSettingsBelongToPlansThatRepair() {
    TicketSpec.Selector all = new TicketSpec.Selector(null, null, true, null);
    assertThat(problems(repairing(Operation.REPAIR, Operation.REPAIR, null, all))).containsExactly(
        "afterScan: applies to a plan whose operation is SCAN: a REPAIR plan repairs without scanning first");
    assertThat(problems(repairing(null, Operation.SCAN, null, all))).contains("afterScan: must be REPAIR, or left out");
    PlanSpec levelWithoutScan = new PlanSpec("weekly", "0 1 * * SUN", null, all, 3L, null, 4, null, null, null, null,
        Operation.REPAIR, null, null, null, null, null, null, io.patchloop.baselines.ComplianceLevel.HIGH);
    assertThat(problems(levelWithoutScan))
        .containsExactly("minLevel: applies with afterScan REPAIR: it picks which hosts the scan found to repair");
    assertThat(problems(repairing(null, null, "drain", all))).containsExactly(
        "rebootOption: applies to plans that repair (operation REPAIR or afterScan REPAIR)",
        "preHook: applies to plans that repair (operation REPAIR or afterScan REPAIR)",
        "postHook: applies to plans that repair (operation REPAIR or afterScan REPAIR)",
        "maintenanceWindow: applies to plans that repair (operation REPAIR or afterScan REPAIR)");
  }
}
