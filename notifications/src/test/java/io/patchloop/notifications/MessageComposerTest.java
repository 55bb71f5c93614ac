package io.patchloop.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.reports.ReportStore.TicketPatchRow;
import io.patchloop.tickets.TicketStore;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.TicketStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a message says: worst hosts first, a few patches each, then "and N more". */
class MessageComposerTest {

  static TicketStore.TicketRow ticket() {
    return new TicketStore.TicketRow("scan-1", Operation.SCAN, TicketStatus.COMPLETED, 1L, null, null, Map.of(), 8, 7, 1, 0,
        Instant.EPOCH, null, Instant.EPOCH, Instant.EPOCH.plusSeconds(60), null);
  }

  /** Host h0..h6: h<i> has i+1 patches; h6's worst is CRITICAL, the others HIGH; h3 was NON_COMPLIANT before. */
  static List<TicketPatchRow> rows() {
    List<TicketPatchRow> rows = new ArrayList<>();
    for (int h = 0; h < 7; h++) {
      for (int p = 0; p <= h; p++) {
        rows.add(new TicketPatchRow(h, "h" + h, h == 3 ? "NON_COMPLIANT" : "COMPLIANT", "SA-" + h + "-" + p,
            "MISSING", h == 6 && p == 4 ? "CRITICAL" : p == 0 ? "HIGH" : "LOW"));
      }
    }
    return rows;
  }

  @Test
  void listsTheWorstHostsFirstAFewPatchesEachAndSaysHowManyMore() {
    var worst = MessageComposer.worstHosts(rows(), null, false);
    assertThat(worst).extracting(MessageComposer.HostLine::hostName)
        .as("CRITICAL first, then by how many patches").startsWith("h6", "h5", "h4", "h3");
    Message m = new MessageComposer("https://patchloop.example.com/").ticket(NotificationEvent.TICKET_FINISHED, ticket(),
        List.of(new TicketStore.TicketHostRow(9, "h9", 1, "FAILED", "UNREACHABLE", "connection refused", null, null,
            null, null)), worst, "Ticket scan-1 COMPLETED");
    assertThat(m.text()).contains("- h6: 7 non-compliant patch(es), worst CRITICAL: SA-6-4 (MISSING, CRITICAL),")
        .contains("and 4 more\n").contains("and 2 more hosts").contains("- h9: UNREACHABLE: connection refused")
        .contains("Details: https://patchloop.example.com/api/v1/tickets/scan-1").doesNotContain("- h1:");
    assertThat(m.markdown()).startsWith("### Ticket scan-1 COMPLETED").contains("[Details](https://");
    assertThat(m.payloadJson()).contains("\"moreHosts\":2").contains("\"status\":\"COMPLETED\"");
  }

  @Test
  void newlyNonCompliantAtALevelLeavesOutHostsThatWereAlreadyOrAreOnlyLow() {
    var newly = MessageComposer.worstHosts(rows(), ComplianceLevel.CRITICAL, true);
    assertThat(newly).extracting(MessageComposer.HostLine::hostName).containsExactly("h6");
    var high = MessageComposer.worstHosts(rows(), ComplianceLevel.HIGH, true);
    assertThat(high).extracting(MessageComposer.HostLine::hostName).doesNotContain("h3").hasSize(6);
  }
}
