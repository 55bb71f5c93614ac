package io.patchloop.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.common.ConflictException;
import io.patchloop.common.JsonText;
import io.patchloop.common.NotFoundException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.PageRequest;
import io.patchloop.compliance.ComplianceStatus;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.store.StoreTestApplication;
import io.patchloop.tickets.TicketStore.TicketHostRow;
import io.patchloop.tickets.TicketStore.TicketQuery;
import io.patchloop.tickets.TicketStore.TicketRow;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.ticket.HostOutcome;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.TicketResult;
import io.patchloop.workflows.ticket.TicketStatus;
import io.temporal.failure.ApplicationFailure;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = StoreTestApplication.class)
class TicketStoreTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "ticketstore");
  }

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final String PARAMS = "{\"operation\":\"SCAN\",\"hostIds\":[1,2],\"batch\":{\"strategy\":\"NONE\"}}";

  @Autowired TicketStore tickets;
  @Autowired TicketRecordActivitiesImpl activities;
  @Autowired HostStore hosts;
  @Autowired JdbcClient jdbc;

  long web1;
  long web2;
  long web3;

  @BeforeEach
  void empty() {
    jdbc.sql("DELETE FROM tickets").update();
    jdbc.sql("DELETE FROM hosts").update();
    web1 = host("web-1").id();
    web2 = host("web-2").id();
    web3 = host("web-3").id();
  }

  Host host(String name) {
    return hosts.create(new HostSpec(name, "10.0.0.1", null, null, "/keys/id_ed25519", null, OsFamily.HCE, null, Map.of()));
  }

  TicketRow create(String id, Operation op, List<Long> hostIds) {
    return tickets.create(id, op, null, PARAMS, hostIds);
  }

  void createdAt(String id, Instant at) {
    jdbc.sql("UPDATE tickets SET created_at = ? WHERE id = ?").params(Timestamp.from(at), id).update();
  }

  static HostOutcome outcome(long hostId, int batch, HostOutcome.State state, String errorKind, String message,
      long started, long finished) {
    return new HostOutcome(hostId, batch, state, errorKind == null ? null : HostErrorKind.valueOf(errorKind), message,
        state == HostOutcome.State.SUCCEEDED ? ComplianceStatus.COMPLIANT : null, started, finished,
        state == HostOutcome.State.SUCCEEDED ? "installed 2 of 2 patches" : null);
  }

  @Test
  void createsACreatedTicketWithAPendingRowPerHost() {
    long gone = 987_654;
    TicketRow t = tickets.create("t-1", Operation.REPAIR, 7L, PARAMS, List.of(web2, gone, web1, web2));
    assertThat(t.id()).isEqualTo("t-1");
    assertThat(t.operation()).isEqualTo(Operation.REPAIR);
    assertThat(t.status()).isEqualTo(TicketStatus.CREATED);
    assertThat(t.baselineId()).isEqualTo(7L);
    assertThat(JsonText.write(t.parameters())).isEqualTo(PARAMS);
    assertThat(t.hostCount()).isEqualTo(3);
    assertThat(List.of(t.succeeded(), t.failed(), t.notRun())).containsOnly(0);
    assertThat(t.createdAt()).isNotNull();
    assertThat(t.startedAt()).isNull();
    assertThat(t.finishedAt()).isNull();
    assertThat(tickets.get("t-1")).isEqualTo(t);
    assertThat(tickets.create("t-2", Operation.SCAN, null, "{}", List.of()).baselineId()).isNull();

    List<TicketHostRow> rows = tickets.hosts("t-1");
    assertThat(rows).extracting(TicketHostRow::hostId).containsExactly(web1, web2, gone);
    assertThat(rows).extracting(TicketHostRow::hostName).containsExactly("web-1", "web-2", null);
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.batch()).isZero();
      assertThat(r.state()).isEqualTo(HostOutcome.State.PENDING.name());
      assertThat(r.errorKind()).isNull();
      assertThat(r.errorMessage()).isNull();
      assertThat(r.startedAt()).isNull();
      assertThat(r.finishedAt()).isNull();
    });
  }

  /** What the reconciler does to a ticket whose workflow can no longer end it. */
  @Test
  void aTicketWhoseWorkflowEndedWithoutItIsMarkedFailedOnceAndItsUnfinishedHostsNotRun() {
    create("t-1", Operation.SCAN, List.of(web1, web2, web3));
    long s = T0.toEpochMilli();
    tickets.recordOutcomes("t-1", List.of(outcome(web1, 1, HostOutcome.State.SUCCEEDED, null, null, s, s + 1),
        new HostOutcome(web2, 1, HostOutcome.State.RUNNING, null, null, null, s, 0, "collecting")));
    createdAt("t-1", T0);
    create("t-2", Operation.SCAN, List.of(web1));
    assertThat(tickets.unfinishedCreatedBefore(T0.plusSeconds(1))).containsExactly("t-1");

    assertThat(tickets.markFailed("t-1", "its workflow was terminated: by hand", T0.plusSeconds(60))).isTrue();
    TicketRow t = tickets.get("t-1");
    assertThat(t.status()).isEqualTo(TicketStatus.FAILED);
    assertThat(t.endReason()).isEqualTo("its workflow was terminated: by hand");
    assertThat(t.finishedAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(List.of(t.succeeded(), t.failed(), t.notRun())).containsExactly(1, 0, 2);
    Map<Long, TicketHostRow> rows = tickets.hosts("t-1").stream()
        .collect(java.util.stream.Collectors.toMap(TicketHostRow::hostId, r -> r));
    assertThat(rows.get(web1).state()).isEqualTo("SUCCEEDED");
    assertThat(rows.get(web2).state()).as("it was running").isEqualTo("NOT_RUN");
    assertThat(rows.get(web3).state()).as("it was pending").isEqualTo("NOT_RUN");
    assertThat(rows.get(web2).errorMessage())
        .isEqualTo("the ticket ended before this host finished: its workflow was terminated: by hand");

    assertThat(tickets.markFailed("t-1", "again", T0.plusSeconds(120))).as("an ended ticket stays as it ended").isFalse();
    assertThat(tickets.get("t-1").endReason()).isEqualTo("its workflow was terminated: by hand");
    assertThat(tickets.unfinishedCreatedBefore(T0.plusSeconds(1))).isEmpty();
  }

  @Test
  void refusesADuplicateIdWithAConflictAndKeepsTheFirstTicket() {
    create("t-1", Operation.SCAN, List.of(web1));
    assertThatThrownBy(() -> create("t-1", Operation.REPAIR, List.of(web2, web3)))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.field()).isEqualTo("id");
          assertThat(e.getMessage()).contains("t-1");
        });
    assertThat(tickets.get("t-1").operation()).isEqualTo(Operation.SCAN);
    assertThat(tickets.hosts("t-1")).extracting(TicketHostRow::hostId).containsExactly(web1);
  }

  @Test
  void anUnknownTicketIsNotFound() {
    assertThatThrownBy(() -> tickets.get("nope")).isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
    assertThatThrownBy(() -> tickets.markStarted("nope", T0)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> tickets.setStatus("nope", TicketStatus.PAUSED)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> tickets.recordOutcomes("nope", List.of())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> tickets.markFinished("nope", new TicketResult(TicketStatus.COMPLETED, 0, 0, 0, 0), T0))
        .isInstanceOf(NotFoundException.class);
    assertThat(tickets.hosts("nope")).isEmpty();
    tickets.delete("nope");
  }

  @Test
  void theActivitiesFailForGoodOnAnUnknownTicket() {
    assertThatThrownBy(() -> activities.ticketStatus("nope", TicketStatus.PAUSED))
        .isInstanceOfSatisfying(ApplicationFailure.class, e -> {
          assertThat(e.isNonRetryable()).isTrue();
          assertThat(e.getType()).isEqualTo("TICKET_NOT_FOUND");
        });
  }

  @Test
  void listsNewestFirstWithEachFilterAndPages() {
    create("a", Operation.SCAN, List.of(web1));
    create("b", Operation.REPAIR, List.of(web1));
    create("c", Operation.SCAN, List.of(web1));
    create("d", Operation.REPAIR, List.of(web1));
    create("e", Operation.SCAN, List.of(web1));
    createdAt("a", T0);
    createdAt("b", T0.plusSeconds(60));
    createdAt("c", T0.plusSeconds(120));
    createdAt("d", T0.plusSeconds(120)); // same time as c: then by id
    createdAt("e", T0.plusSeconds(180));
    tickets.markStarted("b", T0.plusSeconds(61));
    tickets.markStarted("c", T0.plusSeconds(121));
    tickets.markFinished("c", new TicketResult(TicketStatus.COMPLETED, 1, 1, 0, 0), T0.plusSeconds(130));

    var all = tickets.list(TicketQuery.all(), PageRequest.of(0, 10));
    assertThat(all.items()).extracting(TicketRow::id).containsExactly("e", "c", "d", "b", "a");
    assertThat(all.total()).isEqualTo(5);

    assertThat(ids(new TicketQuery(TicketStatus.CREATED, null, null, null))).containsExactly("e", "d", "a");
    assertThat(ids(new TicketQuery(TicketStatus.RUNNING, null, null, null))).containsExactly("b");
    assertThat(ids(new TicketQuery(TicketStatus.COMPLETED, null, null, null))).containsExactly("c");
    assertThat(ids(new TicketQuery(TicketStatus.CANCELLED, null, null, null))).isEmpty();
    assertThat(ids(new TicketQuery(null, Operation.REPAIR, null, null))).containsExactly("d", "b");
    assertThat(ids(new TicketQuery(null, Operation.SCAN, null, null))).containsExactly("e", "c", "a");
    // from inclusive, to exclusive
    assertThat(ids(new TicketQuery(null, null, T0.plusSeconds(60), null))).containsExactly("e", "c", "d", "b");
    assertThat(ids(new TicketQuery(null, null, null, T0.plusSeconds(120)))).containsExactly("b", "a");
    assertThat(ids(new TicketQuery(null, null, T0.plusSeconds(60), T0.plusSeconds(180)))).containsExactly("c", "d", "b");
    assertThat(ids(new TicketQuery(TicketStatus.CREATED, Operation.SCAN, T0.plusSeconds(1), null))).containsExactly("e");

    var page0 = tickets.list(TicketQuery.all(), PageRequest.of(0, 2));
    var page1 = tickets.list(TicketQuery.all(), PageRequest.of(1, 2));
    var page2 = tickets.list(TicketQuery.all(), PageRequest.of(2, 2));
    assertThat(page0.items()).extracting(TicketRow::id).containsExactly("e", "c");
    assertThat(page1.items()).extracting(TicketRow::id).containsExactly("d", "b");
    assertThat(page2.items()).extracting(TicketRow::id).containsExactly("a");
    assertThat(List.of(page0.total(), page1.total(), page2.total())).containsOnly(5L);
    assertThat(page1.page()).isEqualTo(1);
    assertThat(page1.size()).isEqualTo(2);
    var filteredPage = tickets.list(new TicketQuery(null, Operation.SCAN, null, null), PageRequest.of(1, 2));
    assertThat(filteredPage.items()).extracting(TicketRow::id).containsExactly("a");
    assertThat(filteredPage.total()).isEqualTo(3);
  }

  List<String> ids(TicketQuery query) {
    return tickets.list(query, PageRequest.of(0, 50)).items().stream().map(TicketRow::id).toList();
  }

  @Test
  void outcomesUpdateTheHostRowsAndTheCounts() {
    create("t", Operation.SCAN, List.of(web1, web2, web3));
    long s = T0.toEpochMilli();
    tickets.recordOutcomes("t", List.of(
        outcome(web2, 1, HostOutcome.State.SUCCEEDED, null, null, s, s + 5000),
        outcome(web1, 1, HostOutcome.State.FAILED, "UNREACHABLE", "connection timed out", s, s + 9000)));
    TicketRow t = tickets.get("t");
    assertThat(List.of(t.succeeded(), t.failed(), t.notRun())).containsExactly(1, 1, 0);
    assertThat(t.hostCount()).isEqualTo(3);

    List<TicketHostRow> rows = tickets.hosts("t");
    // batch 0 (still pending) first, then batch 1 by host id
    assertThat(rows).extracting(TicketHostRow::hostId).containsExactly(web3, web1, web2);
    TicketHostRow failed = rows.get(1);
    assertThat(failed.batch()).isEqualTo(1);
    assertThat(failed.state()).isEqualTo(HostOutcome.State.FAILED.name());
    assertThat(failed.errorKind()).isEqualTo("UNREACHABLE");
    assertThat(failed.errorMessage()).isEqualTo("connection timed out");
    assertThat(failed.startedAt()).isEqualTo(T0);
    assertThat(failed.finishedAt()).isEqualTo(T0.plusSeconds(9));
    assertThat(rows.get(0).state()).isEqualTo(HostOutcome.State.PENDING.name());
    assertThat(rows.get(2).complianceStatus()).isEqualTo("COMPLIANT");
    assertThat(rows.get(2).detail()).isEqualTo("installed 2 of 2 patches");

    // the rest never ran: no times (0 millis), a second batch
    tickets.recordOutcomes("t", List.of(outcome(web3, 2, HostOutcome.State.NOT_RUN, null, null, 0, 0)));
    t = tickets.get("t");
    assertThat(List.of(t.succeeded(), t.failed(), t.notRun())).containsExactly(1, 1, 1);
    TicketHostRow notRun = tickets.hosts("t").get(2);
    assertThat(notRun.hostId()).isEqualTo(web3);
    assertThat(notRun.batch()).isEqualTo(2);
    assertThat(notRun.startedAt()).isNull();
    assertThat(notRun.finishedAt()).isNull();
  }

  @Test
  void recordingTheSameOutcomesAgainChangesNothing() {
    create("t", Operation.REPAIR, List.of(web1, web2));
    long s = T0.toEpochMilli();
    List<HostOutcome> outcomes = List.of(
        outcome(web1, 1, HostOutcome.State.SUCCEEDED, null, null, s, s + 1),
        outcome(web2, 1, HostOutcome.State.FAILED, "AUTH_FAILED", "denied", s, s + 2));
    tickets.recordOutcomes("t", outcomes);
    TicketRow once = tickets.get("t");
    List<TicketHostRow> rowsOnce = tickets.hosts("t");
    tickets.recordOutcomes("t", outcomes);
    activities.hostOutcomes("t", outcomes);
    assertThat(tickets.get("t")).isEqualTo(once);
    assertThat(tickets.hosts("t")).isEqualTo(rowsOnce);
    assertThat(List.of(once.succeeded(), once.failed(), once.notRun())).containsExactly(1, 1, 0);

    // a host that is not in the ticket is ignored, and an empty list only recounts
    tickets.recordOutcomes("t", List.of(outcome(web3, 1, HostOutcome.State.SUCCEEDED, null, null, s, s + 1)));
    tickets.recordOutcomes("t", List.of());
    assertThat(tickets.get("t")).isEqualTo(once);
    assertThat(tickets.hosts("t")).extracting(TicketHostRow::hostId).containsExactly(web1, web2);
  }

  @Test
  void cutsLongErrorsToTheirLimits() {
    create("t", Operation.SCAN, List.of(web1));
    String longMessage = "x".repeat(3999) + "\uD83D\uDE00" + "y".repeat(5000); // an emoji across the limit
    tickets.recordOutcomes("t", List.of(outcome(web1, 1, HostOutcome.State.FAILED, "OUTPUT_UNPARSEABLE", longMessage,
        T0.toEpochMilli(), T0.toEpochMilli() + 1)));
    TicketHostRow row = tickets.hosts("t").get(0);
    assertThat(row.errorMessage()).isEqualTo("x".repeat(3999));
    // error kinds are HostErrorKind names now, which the column always holds whole
    assertThat(Arrays.stream(HostErrorKind.values()).mapToInt(k -> k.name().length()).max().orElseThrow())
        .isLessThanOrEqualTo(32);
    assertThat(row.errorKind()).isEqualTo("OUTPUT_UNPARSEABLE");
    assertThat(TicketStore.truncate("abc", 4000)).isEqualTo("abc");
    assertThat(TicketStore.truncate("x".repeat(4001), 4000)).hasSize(4000);
  }

  @Test
  void runsThroughItsLifeAndAFinishedTicketKeepsItsStatus() {
    create("t", Operation.REPAIR, List.of(web1, web2));
    activities.ticketStarted("t", T0.toEpochMilli());
    TicketRow started = tickets.get("t");
    assertThat(started.status()).isEqualTo(TicketStatus.RUNNING);
    assertThat(started.startedAt()).isEqualTo(T0);

    // a retried start keeps the first start time
    tickets.markStarted("t", T0.plusSeconds(30));
    assertThat(tickets.get("t").startedAt()).isEqualTo(T0);

    activities.ticketStatus("t", TicketStatus.PAUSED);
    assertThat(tickets.get("t").status()).isEqualTo(TicketStatus.PAUSED);
    // a late retry of the start never resumes a paused ticket
    tickets.markStarted("t", T0.plusSeconds(40));
    assertThat(tickets.get("t").status()).isEqualTo(TicketStatus.PAUSED);
    tickets.setStatus("t", TicketStatus.RUNNING);
    assertThat(tickets.get("t").status()).isEqualTo(TicketStatus.RUNNING);

    activities.ticketFinished("t", new TicketResult(TicketStatus.ABNORMAL, 2, 0, 1, 1), T0.plusSeconds(90).toEpochMilli());
    TicketRow finished = tickets.get("t");
    assertThat(finished.status()).isEqualTo(TicketStatus.ABNORMAL);
    assertThat(List.of(finished.succeeded(), finished.failed(), finished.notRun())).containsExactly(0, 1, 1);
    assertThat(finished.finishedAt()).isEqualTo(T0.plusSeconds(90));
    assertThat(finished.startedAt()).isEqualTo(T0);

    // late writes of a pause, a resume or a start change nothing
    tickets.setStatus("t", TicketStatus.PAUSED);
    activities.ticketStatus("t", TicketStatus.RUNNING);
    tickets.markStarted("t", T0.plusSeconds(100));
    assertThat(tickets.get("t")).isEqualTo(finished);

    // the same finish again is harmless
    tickets.markFinished("t", new TicketResult(TicketStatus.ABNORMAL, 2, 0, 1, 1), T0.plusSeconds(90));
    assertThat(tickets.get("t")).isEqualTo(finished);
  }

  @Test
  void aTicketCancelledBeforeItStartedStaysUnstarted() {
    create("t", Operation.SCAN, List.of(web1));
    tickets.markFinished("t", new TicketResult(TicketStatus.CANCELLED, 1, 0, 0, 1), T0);
    tickets.markStarted("t", T0.plusSeconds(1));
    TicketRow t = tickets.get("t");
    assertThat(t.status()).isEqualTo(TicketStatus.CANCELLED);
    assertThat(t.startedAt()).isNull();
  }

  @Test
  void deleteRemovesTheTicketAndItsHosts() {
    create("t", Operation.SCAN, List.of(web1, web2));
    create("keep", Operation.SCAN, List.of(web1));
    tickets.delete("t");
    assertThatThrownBy(() -> tickets.get("t")).isInstanceOf(NotFoundException.class);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM ticket_hosts WHERE ticket_id = 't'").query(Integer.class).single()).isZero();
    assertThat(tickets.hosts("keep")).hasSize(1);
    // the id is free again
    assertThat(create("t", Operation.REPAIR, List.of(web3)).hostCount()).isEqualTo(1);
  }
}
