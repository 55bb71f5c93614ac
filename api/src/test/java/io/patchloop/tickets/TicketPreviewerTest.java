package io.patchloop.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import io.patchloop.hosts.Host;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The preview's tag-group shares and its warning when a batch holds a whole group. */
class TicketPreviewerTest {

  static Host host(long id, Map<String, String> tags) {
    return new Host(id, "h" + id, "10.0.0." + id, 22, "root", "/k", null, OsFamily.HCE, Scenario.ECS, tags,
        Host.ComplianceStatus.NON_COMPLIANT, null, null, null, null, io.patchloop.hosts.AccessMode.SSH, null);
  }

  @Test
  void sharesPerBatchAndAWarningForEachWholeGroupOfTwoOrMore() {
    List<Host> hosts = List.of(host(1, Map.of("zone", "az1", "app", "web")), host(2, Map.of("zone", "az1", "app", "web")),
        host(3, Map.of("zone", "az2", "app", "db")), host(4, Map.of("zone", "az3")));
    List<List<Long>> batches = List.of(List.of(1L, 3L), List.of(2L, 4L));

    var groups = TicketPreviewer.groups(hosts, batches);
    assertThat(groups.keySet()).containsExactly("app", "zone");
    TicketPreview.Group az1 = groups.get("zone").get(0);
    assertThat(az1.value()).isEqualTo("az1");
    assertThat(az1.perBatch()).containsExactly(1, 1);
    assertThat(az1.percentPerBatch()).containsExactly(50, 50);
    assertThat(TicketPreviewer.warnings(groups)).as("az1 and web are split; az2, az3 and db have one host").isEmpty();

    var oneBatch = TicketPreviewer.groups(hosts, List.of(List.of(1L, 2L, 3L, 4L)));
    assertThat(TicketPreviewer.warnings(oneBatch)).containsExactly(
        "batch 1 holds every host of app=web (2 of 2)", "batch 1 holds every host of zone=az1 (2 of 2)");
  }
}
