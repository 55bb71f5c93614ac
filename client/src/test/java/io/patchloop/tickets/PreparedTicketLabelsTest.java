package io.patchloop.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.common.OsFamily;
import io.patchloop.hosts.AccessMode;
import io.patchloop.hosts.Host;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.TicketLabels;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The names a ticket hands Temporal's Web UI: short, and never so many that the workflow's input grows too large. */
class PreparedTicketLabelsTest {

  static Host host(long id, String name, String address, int port, AccessMode access) {
    return new Host(id, name, address, port, "root", "/keys/lab", null, OsFamily.HCE, null, Map.of(),
        Host.ComplianceStatus.UNKNOWN, null, null, null, null, access, null);
  }

  static PreparedTicket ticket(List<Host> hosts) {
    TicketSpec spec = new TicketSpec(Operation.SCAN, hosts.stream().map(Host::id).toList(), null, null, null, null,
        null, null, null, null, null, null);
    return new PreparedTicket(spec, hosts, "HCE-default");
  }

  @Test
  void anSshHostIsNamedWithItsAddressAndPortAnAgentHostAsSuch() {
    TicketLabels labels = ticket(List.of(host(1, "lab01", "127.0.0.1", 2201, AccessMode.SSH),
        host(2, "lab02", "10.0.0.7", 22, AccessMode.AGENT))).labels();
    assertThat(labels.baseline()).isEqualTo("HCE-default");
    assertThat(labels.hosts()).containsExactly(Map.entry(1L, "lab01 127.0.0.1:2201"), Map.entry(2L, "lab02 10.0.0.7 (agent)"));
    assertThat(labels.host(3)).isEqualTo("host 3");
  }

  @Test
  void aLongNameIsCutAndHostsPastTheBudgetAreNamedById() {
    String longName = "h".repeat(128);
    assertThat(PreparedTicket.label(host(1, longName, "a".repeat(200) + ".example", 22, AccessMode.SSH)))
        .hasSize(PreparedTicket.MAX_LABEL_CHARS).endsWith("…");

    // 10,000 hosts of the longest labels: about half fit in the budget, the rest go by id
    List<Host> many = LongStream.rangeClosed(1, 10_000)
        .mapToObj(id -> host(id, longName + id, "10.0.0.1", 22, AccessMode.SSH)).toList();
    TicketLabels labels = ticket(many).labels();
    int total = labels.hosts().values().stream().mapToInt(String::length).sum();
    assertThat(total).isLessThanOrEqualTo(PreparedTicket.MAX_LABELS_CHARS);
    assertThat(labels.hosts()).hasSizeBetween(1, 9_999);
    assertThat(labels.host(10_000)).isEqualTo("host 10000");
  }
}
