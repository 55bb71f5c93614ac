package io.patchloop.workflows.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.rpm.Evr;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairPlan;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What crosses between the agent and the central workers goes through Temporal's own data
 * converter, in both directions; a helper method that Jackson mistakes for a property (isEmpty)
 * breaks the other side, so every payload is round-tripped here.
 */
class AgentPayloadsTest {

  private final DataConverter converter = DefaultDataConverter.newDefaultInstance();

  private <T> T roundTrip(T value, Class<T> type) {
    return converter.fromPayload(converter.toPayload(value).orElseThrow(), type, type);
  }

  static HostInventory inventory() {
    return new HostInventory("hce", "2.0", "HCE 2.0", "5.10.0-60.18.0.50.h322.hce2.x86_64",
        Instant.parse("2026-11-27T08:00:00Z"),
        List.of(new InstalledPackage("openssl", Evr.parse("1:1.1.1m-15.hce2"), "x86_64", Instant.parse("2026-11-01T00:00:00Z"))),
        Set.of("kernel"),
        List.of(new Advisory("HCE2-SA-2026-0001", "openssl update", "security", PatchCategory.SECURITY,
            PatchSeverity.CRITICAL, Instant.parse("2026-11-20T00:00:00Z"),
            List.of(new AdvisoryPackage("openssl", Evr.parse("1:1.1.1m-28.hce2"), "x86_64")), List.of("CVE-2026-1"), true)),
        true, 3_600L);
  }

  @Test
  void inventoriesPlansAndResultsSurviveTheTrip() {
    HostInventory inventory = inventory();
    assertThat(roundTrip(inventory, HostInventory.class)).isEqualTo(inventory);

    RepairPlan plan = new RepairPlan(List.of(new RepairPlan.Patch("HCE2-SA-2026-0001", io.patchloop.compliance.PatchState.MISSING, "CRITICAL",
        List.of(new RepairPlan.Target("openssl", "x86_64", Evr.parse("1:1.1.1m-28.hce2"))), true)), List.of("kernel*"));
    assertThat(roundTrip(plan, RepairPlan.class)).isEqualTo(plan);

    InstallResult result = new InstallResult(Map.of("HCE2-SA-2026-0001", "Error: Transaction failed"), inventory);
    assertThat(roundTrip(result, InstallResult.class)).isEqualTo(result);

    BootMark mark = new BootMark("0e9c1d", 1_790_000_000L);
    assertThat(roundTrip(mark, BootMark.class)).isEqualTo(mark);

    AgentReport report = new AgentReport(7, "0.1.0", Map.of("hostname", "lab07"), 1_790_000_000_000L);
    assertThat(roundTrip(report, AgentReport.class)).isEqualTo(report);

    AgentRouting routing = new AgentRouting(List.of(3L, 7L), 60, 20);
    assertThat(roundTrip(routing, AgentRouting.class)).isEqualTo(routing);
  }

  /** An agent of the release before sends inventories without the metadata's age: read as unknown, not refused. */
  @Test
  void anInventoryWithoutTheMetadataAgeOfAnOlderAgentIsReadWithTheAgeUnknown() {
    HostInventory inventory = inventory();
    String json = new String(converter.toPayload(inventory).orElseThrow().getData().toByteArray(),
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(json).contains("\"metadataAgeSeconds\":3600");
    String older = json.replace(",\"metadataAgeSeconds\":3600", "");
    var payload = converter.toPayload(inventory).orElseThrow().toBuilder()
        .setData(com.google.protobuf.ByteString.copyFromUtf8(older)).build();
    HostInventory read = converter.fromPayload(payload, HostInventory.class, HostInventory.class);
    assertThat(read.metadataAgeSeconds()).isNull();
    assertThat(read.packages()).isEqualTo(inventory.packages());
  }

  /**
   * An agent that left files to the catalog names them; an inventory of an older release (without
   * the field) is read as leaving none, and JSON carries no helper method as a property.
   */
  @Test
  void theCatalogChecksumsSurviveTheTripAndAreAbsentFromAnOlderInventory() {
    HostInventory base = inventory();
    HostInventory leaving = new HostInventory(base.osId(), base.osVersion(), base.product(), base.runningKernel(),
        base.bootTime(), base.packages(), base.kernelPackageNames(), List.of(), base.needsRestarting(),
        base.metadataAgeSeconds(), List.of("sha256:" + "ab".repeat(32)));
    HostInventory read = roundTrip(leaving, HostInventory.class);
    assertThat(read).isEqualTo(leaving);
    assertThat(read.awaitsCatalogAdvisories()).isTrue();

    String json = new String(converter.toPayload(base).orElseThrow().getData().toByteArray(),
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(json).contains("\"catalogChecksums\":null").doesNotContain("awaitsCatalogAdvisories");
    String older = json.replace(",\"catalogChecksums\":null", "");
    var payload = converter.toPayload(base).orElseThrow().toBuilder()
        .setData(com.google.protobuf.ByteString.copyFromUtf8(older)).build();
    HostInventory fromOlder = converter.fromPayload(payload, HostInventory.class, HostInventory.class);
    assertThat(fromOlder).isEqualTo(base);
    assertThat(fromOlder.awaitsCatalogAdvisories()).isFalse();
  }
}
