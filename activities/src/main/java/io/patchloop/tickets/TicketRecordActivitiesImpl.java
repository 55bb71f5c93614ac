package io.patchloop.tickets;

import io.patchloop.common.NotFoundException;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.ticket.HostOutcome;
import io.patchloop.workflows.ticket.TicketRecordActivities;
import io.patchloop.workflows.ticket.TicketResult;
import io.patchloop.workflows.ticket.TicketStatus;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The ticket workflow's writes to its records in MySQL. Each one is idempotent (see {@link TicketStore}),
 * so Temporal may retry them freely; a ticket that does not exist (deleted when its start failed)
 * fails the call for good instead of being retried forever.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.TICKETS)
public class TicketRecordActivitiesImpl implements TicketRecordActivities {

  static final String TICKET_NOT_FOUND = "TICKET_NOT_FOUND";

  private final TicketStore tickets;
  private final HostOutcomeCounter outcomeCounter;

  public TicketRecordActivitiesImpl(TicketStore tickets, HostOutcomeCounter outcomeCounter) {
    this.tickets = tickets;
    this.outcomeCounter = outcomeCounter;
  }

  @Override
  public void ticketStarted(String ticketId, long startedAtMillis) {
    run(() -> tickets.markStarted(ticketId, Instant.ofEpochMilli(startedAtMillis)));
  }

  @Override
  public void ticketStatus(String ticketId, TicketStatus status) {
    run(() -> tickets.setStatus(ticketId, status));
  }

  @Override
  public void ticketWaiting(String ticketId, String waitingFor) {
    run(() -> tickets.setWaiting(ticketId, waitingFor));
  }

  @Override
  public void hostOutcomes(String ticketId, List<HostOutcome> outcomes) {
    run(() -> outcomeCounter.count(tickets.recordOutcomes(ticketId, outcomes == null ? List.of() : outcomes)));
  }

  @Override
  public void ticketFinished(String ticketId, TicketResult result, long finishedAtMillis) {
    run(() -> tickets.markFinished(ticketId, result, Instant.ofEpochMilli(finishedAtMillis)));
  }

  private static void run(Runnable write) {
    try {
      write.run();
    } catch (NotFoundException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), TICKET_NOT_FOUND);
    }
  }
}
