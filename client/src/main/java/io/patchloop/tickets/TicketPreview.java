package io.patchloop.tickets;

import io.patchloop.compliance.PatchState;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.ticket.Operation;
import java.util.List;
import java.util.Map;

/**
 * The blast-radius assessment of a ticket before it runs: the batches in the order they will run,
 * what each host will get, which hosts will need a reboot, and how much of each tag group (zone,
 * app, ...) each batch holds.
 *
 * @param rebootHosts host ids that will need a reboot after the repair (a patch with a kernel or
 *     {@code reboot_suggested}, or a reboot already pending)
 * @param groups per tag key, per value: the group's size and its hosts in each batch
 * @param warnings a batch that holds a whole tag group of two or more hosts
 */
public record TicketPreview(
    Operation operation,
    int hosts,
    RebootOption rebootOption,
    List<Batch> batches,
    List<Long> rebootHosts,
    Map<String, List<Group>> groups,
    List<String> warnings) {

  public record Batch(int batch, List<HostPlan> hosts) {}

  /**
   * @param patches REPAIR: what will be installed (from the newest report); empty for SCAN
   * @param rebootExpected REPAIR: the host will need a reboot after it
   */
  public record HostPlan(long hostId, String hostName, String osFamily, Map<String, String> tags,
      List<PatchPlan> patches, List<String> blockedPackages, boolean rebootExpected) {}

  public record PatchPlan(String advisoryId, PatchState state, String complianceLevel, List<String> packages,
      boolean rebootExpected) {

    static PatchPlan of(RepairPlan.Patch p) {
      return new PatchPlan(p.advisoryId(), p.state(), p.complianceLevel(), p.nevras(), p.rebootExpected());
    }
  }

  /**
   * What a repair an inspection plan starts is recorded with (the whole preview, host by host, would
   * be megabytes for a large fleet): its hosts, each batch's size, the patches to install, the hosts
   * that will reboot, the packages held back, and the warnings.
   */
  public record Summary(int hosts, List<Integer> batchSizes, int patches, int rebootHosts, int blockedPackages,
      List<String> warnings) {}

  public Summary summary() {
    int patches = 0;
    int blocked = 0;
    for (Batch b : batches) {
      for (HostPlan h : b.hosts()) {
        patches += h.patches().size();
        blocked += h.blockedPackages().size();
      }
    }
    return new Summary(hosts, batches.stream().map(b -> b.hosts().size()).toList(), patches, rebootHosts.size(), blocked,
        warnings);
  }

  /** One tag group: {@code perBatch[i]} hosts of it in batch i+1, and that as a percentage of the group. */
  public record Group(String value, int hosts, List<Integer> perBatch, List<Integer> percentPerBatch) {}
}
