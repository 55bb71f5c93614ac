package io.patchloop.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.common.Problems;
import io.patchloop.store.StoreTestApplication;
import io.patchloop.workflows.ticket.Operation;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Review M8 "Also": the parameters of a legal ticket of 10,000 host ids of ten digits are about
 * 110 KB, more than the TEXT column (64 KB) held: a 500 "Data too long". V17 made it MEDIUMTEXT.
 */
@SpringBootTest(classes = StoreTestApplication.class)
class TicketParametersColumnTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "ticketparams");
  }

  @Autowired TicketStore tickets;

  @Test
  void theParametersOfTheLargestLegalTicketAreStoredWhole() {
    List<Long> hostIds = LongStream.range(0, TicketSpec.MAX_HOSTS).map(i -> 1_000_000_000L + i).boxed().toList();
    TicketSpec spec = TicketSpecTest.scan(hostIds);
    Problems problems = new Problems();
    spec.validate(problems, Instant.now());
    assertThat(problems.list()).as("a legal ticket").isEmpty();
    String parameters = spec.parametersJson();
    assertThat(parameters.length()).isGreaterThan(64 * 1024);

    // no ticket_hosts rows: the host ids need not exist for the parameters to be stored
    tickets.create("big-ticket", Operation.SCAN, null, parameters, List.of(), null, null, null);
    assertThat((List<?>) tickets.get("big-ticket").parameters().get("hostIds")).hasSize(TicketSpec.MAX_HOSTS);
  }
}
