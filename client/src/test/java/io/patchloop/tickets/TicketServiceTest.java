package io.patchloop.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.common.ConflictException;
import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.OsFamily;
import io.patchloop.hosts.AccessMode;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.store.StoreTestApplication;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.SuspensionSpec;
import io.patchloop.workflows.ticket.TicketHost;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

/**
 * A ticket request checked against the stores (hosts, baselines, reports, agents). There is no
 * Temporal here, so every start fails: that shows a ticket whose workflow did not start is not kept.
 */
@SpringBootTest(classes = StoreTestApplication.class)
class TicketServiceTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "ticketservice");
  }

  @Autowired TicketService service;
  @Autowired TicketStore tickets;
  @Autowired HostStore hosts;
  @Autowired JdbcClient jdbc;

  Host web1;
  Host web2;

  @BeforeEach
  void empty() {
    jdbc.sql("DELETE FROM tickets").update();
    jdbc.sql("DELETE FROM hosts").update();
    web1 = hosts.create(new HostSpec("web-1", "10.0.0.1", null, null, "/keys/id", null, OsFamily.HCE, null,
        Map.of("zone", "az1")));
    web2 = hosts.create(new HostSpec("web-2", "10.0.0.2", null, null, "/keys/id", null, OsFamily.HCE, null,
        Map.of("zone", "az2")));
  }

  static TicketSpec scan(List<Long> hostIds) {
    return new TicketSpec(Operation.SCAN, hostIds, null, null, null, null, null, null, null, null, null, null);
  }

  static List<String> fields(Throwable e) {
    return ((InvalidInputException) e).problems().stream().map(FieldProblem::field).toList();
  }

  @Test
  void preparedWithTheDefaultsOfWhatWasLeftOut() {
    PreparedTicket p = service.prepare(scan(List.of(web2.id(), web1.id())));
    assertThat(p.batch()).isEqualTo(BatchSpec.none());
    assertThat(p.concurrency()).isEqualTo(TicketSpec.DEFAULT_CONCURRENCY);
    assertThat(p.suspension()).isEqualTo(SuspensionSpec.never());
    assertThat(p.rebootOption()).as("SCAN tickets do not reboot").isNull();
    assertThat(p.rebootTimeoutSeconds()).isEqualTo(TicketSpec.DEFAULT_REBOOT_TIMEOUT_SECONDS);
    assertThat(p.hosts()).extracting(Host::name).containsExactly("web-2", "web-1");
    assertThat(p.ticketHosts()).containsExactly(new TicketHost(web2.id(), null), new TicketHost(web1.id(), null));
    assertThat(p.batches()).containsExactly(List.of(web2.id(), web1.id()));
  }

  @Test
  void aSelectorTakesTheHostsItMatches() {
    TicketSpec byZone = new TicketSpec(Operation.SCAN, null, new TicketSpec.Selector(Map.of("zone", "az2"), null,
        null, null), null, new BatchSpec(BatchSpec.Strategy.AUTO, null, 50, "zone"), null, null, null, null, null,
        null, null);
    PreparedTicket p = service.prepare(byZone);
    assertThat(p.hosts()).extracting(Host::id).containsExactly(web2.id());
    assertThat(p.ticketHosts()).containsExactly(new TicketHost(web2.id(), "az2"));

    TicketSpec nowhere = new TicketSpec(Operation.SCAN, null, new TicketSpec.Selector(Map.of("zone", "az9"), null,
        null, null), null, null, null, null, null, null, null, null, null);
    assertThatThrownBy(() -> service.prepare(nowhere)).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.problems()).containsExactly(new FieldProblem("selector", "selects no host")));
  }

  /** openEuler has its built-in default since V20; an OS without a default still needs the ticket's baseline. */
  @Test
  void aScanWithoutABaselineTakesEachOsDefaultAndIsRefusedForAnOsWithoutOne() {
    Host oe = hosts.create(new HostSpec("oe-1", "10.0.0.3", null, null, "/keys/id", null, OsFamily.OPENEULER, null,
        Map.of("zone", "az1")));
    TicketSpec everyHost = new TicketSpec(Operation.SCAN, null, new TicketSpec.Selector(null, null, true, null), null,
        null, null, null, null, null, null, null, null);
    PreparedTicket p = service.prepare(everyHost);
    assertThat(p.hosts()).extracting(Host::id).containsExactly(web1.id(), web2.id(), oe.id());
    assertThat(p.baselineLabel()).isEqualTo("HCE-default, openEuler-default");

    jdbc.sql("UPDATE baselines SET default_for_os = FALSE WHERE os = 'OPENEULER'").update();
    try {
      assertThatThrownBy(() -> service.prepare(everyHost)).isInstanceOfSatisfying(InvalidInputException.class,
          e -> assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("baselineId");
            assertThat(problem.reason()).startsWith("no baseline given and no default baseline for [OPENEULER]");
          }));
    } finally {
      jdbc.sql("UPDATE baselines SET default_for_os = TRUE WHERE name = 'openEuler-default' AND built_in").update();
    }
  }

  @Test
  void hostIdsMustNameEachKnownHostOnce() {
    assertThatThrownBy(() -> service.prepare(scan(Arrays.asList(web1.id(), web1.id(), null, 987_654L))))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems()).containsExactly(
            new FieldProblem("hostIds[1]", "repeats host " + web1.id()),
            new FieldProblem("hostIds[2]", "must be a host id"),
            new FieldProblem("hostIds[3]", "no host has id 987654")));
  }

  @Test
  void anUnknownBaselineIsReportedWithTheRequestsOwnProblems() {
    TicketSpec spec = new TicketSpec(Operation.SCAN, List.of(web1.id()), null, 987_654L, null, 0, null, null, null,
        null, null, null);
    assertThatThrownBy(() -> service.prepare(spec)).isInstanceOfSatisfying(InvalidInputException.class, e -> {
      assertThat(e.getMessage()).isEqualTo("Invalid ticket");
      assertThat(e.problems()).containsExactlyInAnyOrder(
          new FieldProblem("baselineId", "no baseline has id 987654"),
          new FieldProblem("concurrency", "must be between 1 and 200"));
    });
  }

  @Test
  void aRepairNeedsAReportOfEveryHost() {
    TicketSpec spec = new TicketSpec(Operation.REPAIR, List.of(web1.id()), null, null, null, null, null, null, null,
        null, null, null);
    assertThatThrownBy(() -> service.prepare(spec)).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.problems()).containsExactly(new FieldProblem("hostIds", "1 host(s) have no compliance report"
            + " to repair from: web-1 (id " + web1.id() + "); scan them first, or select only scanned hosts with"
            + " selector.complianceStatus NON_COMPLIANT")));
  }

  @Test
  void aTicketWhoseWorkflowCannotStartIsNotKept() {
    assertThatThrownBy(() -> service.create(scan(List.of(web1.id()))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Temporal did not accept the ticket's workflow");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM tickets").query(Integer.class).single()).isZero();
  }

  @Test
  void aTicketThatStartsNowRefusesHostsWhoseAgentIsNotOnline() {
    Host agent = hosts.create(new HostSpec("agent-1", "10.0.0.9", null, null, null, null, OsFamily.HCE, null, Map.of(),
        AccessMode.AGENT));
    TicketSpec now = scan(List.of(web1.id(), agent.id()));
    assertThatThrownBy(() -> service.create(now)).isInstanceOfSatisfying(ConflictException.class, e -> {
      assertThat(e.field()).isEqualTo("hostIds");
      assertThat(e.getMessage()).contains("1 host(s) are reached through their Patchloop agent, which is not online:"
          + " agent-1 (id " + agent.id() + ", agent NEVER_SEEN); start the agent on them");
    });

    TicketSpec later = new TicketSpec(Operation.SCAN, List.of(agent.id()), null, null, null, null, null,
        Instant.now().plus(1, ChronoUnit.HOURS), null, null, null, null);
    assertThatThrownBy(() -> service.create(later)).as("a later ticket takes them: only Temporal is missing")
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> service.createPlanRun(1L, now, "plan1-20261127-081502"))
        .as("an inspection plan's ticket takes them too").isInstanceOf(IllegalStateException.class);
  }
}
