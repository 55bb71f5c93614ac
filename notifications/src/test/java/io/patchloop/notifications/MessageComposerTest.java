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

  /** A window-bound ticket's phases, each in words a person on call acts on, with the ticket's counts and link. */
  @Test
  void aWindowBoundTicketsPhasesSayWhatHappensAndWhen() {
    MessageComposer composer = new MessageComposer("https://patchloop.example.com/");
    Instant opens = Instant.parse("2026-12-12T18:00:00Z");
    Message waiting = composer.window(ticket(), "sunday-night", "WAITING", opens);
    assertThat(waiting.title())
        .isEqualTo("Ticket scan-1 waiting for maintenance window sunday-night, which opens at 2026-12-12T18:00:00Z");
    assertThat(waiting.text()).contains("8 hosts: 7 succeeded, 1 failed, 0 not run")
        .contains("Details: https://patchloop.example.com/api/v1/tickets/scan-1");
    assertThat(waiting.payloadJson()).contains("\"event\":\"MAINTENANCE_WINDOW\"").contains("\"phase\":\"WAITING\"")
        .contains("\"window\":\"sunday-night\"").contains("\"at\":\"2026-12-12T18:00:00Z\"");
    assertThat(composer.window(ticket(), "sunday-night", "STARTED", opens).title())
        .isEqualTo("Ticket scan-1 started in maintenance window sunday-night");
    assertThat(composer.window(ticket(), "sunday-night", "RESUMED", opens).title())
        .isEqualTo("Ticket scan-1 resumed: maintenance window sunday-night is open again");
    assertThat(composer.window(ticket(), "sunday-night", "ENDED", opens).title())
        .isEqualTo("Ticket scan-1 ended COMPLETED (maintenance window sunday-night)");
  }
}
