package io.patchloop.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.patchloop.common.OsFamily;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.store.StoreTestApplication;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.ticket.HostOutcome;
import io.patchloop.workflows.ticket.HostOutcome.NotRunReason;
import io.patchloop.workflows.ticket.Operation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * patchloop_host_outcomes_total counts each host's end once, however often Temporal retries the
 * call that records it (the same outcomes written again), on a real MariaDB.
 */
@SpringBootTest(classes = {StoreTestApplication.class, HostOutcomeCounterTest.Registry.class})
class HostOutcomeCounterTest {

  /** The store tests start no actuator; the registry the counter writes to, for the test to read. */
  @TestConfiguration
  static class Registry {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "hostoutcomecounter");
  }

  @Autowired TicketRecordActivitiesImpl activities;
  @Autowired TicketStore tickets;
  @Autowired HostStore hosts;
  @Autowired MeterRegistry registry;
  @Autowired JdbcClient jdbc;

  long host(String name) {
    return hosts.create(new HostSpec(name, "10.0.0.1", null, null, "/keys/id_ed25519", null, OsFamily.HCE, null,
        Map.of())).id();
  }

  @Test
  void aRetriedRecordOfTheSameOutcomesCountsEachHostOnce() {
    long web1 = host("web-1");
    long web2 = host("web-2");
    long web3 = host("web-3");
    tickets.create("t-counted", Operation.REPAIR, null, "{}", List.of(web1, web2, web3));
    List<HostOutcome> first = List.of(
        HostOutcome.succeeded(web1, 1, null, 1000, 2000, "installed 1 of 1 patches"),
        HostOutcome.failed(web2, 1, HostErrorKind.UNREACHABLE, "connection refused", null, 1000, 2000, null),
        HostOutcome.running(web3, 1, 1000, "installing"));

    activities.hostOutcomes("t-counted", first);
    activities.hostOutcomes("t-counted", first); // Temporal's retry after the write went through
    assertThat(count("succeeded", "none")).isEqualTo(1.0);
    assertThat(count("failed", "UNREACHABLE")).isEqualTo(1.0);
    assertThat(registry.find("patchloop.host.outcomes").counters()).as("a running host has not finished").hasSize(2);

    activities.hostOutcomes("t-counted", List.of(HostOutcome.notRun(web3, 1, NotRunReason.CANCELLED, true)));
    assertThat(count("not_run", "none")).isEqualTo(1.0);
    assertThat(count("succeeded", "none")).isEqualTo(1.0);
  }

  double count(String outcome, String errorKind) {
    var counter = registry.find("patchloop.host.outcomes").tag("operation", "REPAIR").tag("outcome", outcome)
        .tag("error_kind", errorKind).counter();
    return counter == null ? 0 : counter.count();
  }
}
