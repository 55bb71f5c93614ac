package io.patchloop.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.patchloop.outbound.OutboundPolicy;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.common.OsFamily;
import io.patchloop.hosts.AgentProperties;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.reports.ReportStore;
import io.patchloop.secrets.SecretCipher;
import io.patchloop.store.StoreTestApplication;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.TicketSearchAttributes;
import io.patchloop.workflows.ticket.Operation;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptor;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowClientInterceptorBase;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Making a ticket with an idempotency key is all or nothing (review M2): the ticket, its key and
 * its callback are written in one transaction, and when its workflow's start fails they are removed
 * only if Temporal has no such workflow. Real MariaDB and a real Temporal test server (in process,
 * no worker: a start only has to be accepted). The faults are injected into real parts: a callback
 * store whose {@code register} fails, and a Temporal client interceptor that fails the start (before
 * or after the server accepted it) or the question whether the workflow exists.
 */
@SpringBootTest(classes = StoreTestApplication.class)
class TicketCreationIsAtomicTest {

  static final String TOKEN = "itsm";
  static final String SECRET = "a-long-shared-secret-42";

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "ticketatomic");
  }

  @Autowired TicketStore tickets;
  @Autowired TicketIdempotencyKeys keys;
  @Autowired TicketCallbacks callbacks;
  @Autowired HostStore hosts;
  @Autowired BaselineStore baselines;
  @Autowired ReportStore reports;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired AgentProperties agents;
  @Autowired SecretCipher cipher;
  @Autowired Clock clock;
  @Autowired OutboundPolicy outbound;
  @Autowired JdbcClient jdbc;

  TestWorkflowEnvironment temporal;
  Host web1;

  @BeforeEach
  void emptyStoresAndAFreshTemporal() {
    jdbc.sql("DELETE FROM tickets").update();
    jdbc.sql("DELETE FROM hosts").update();
    web1 = hosts.create(new HostSpec("web-1", "10.0.0.1", null, null, "/keys/id", null, OsFamily.HCE, null,
        Map.of("zone", "az1")));
    temporal = TestWorkflowEnvironment.newInstance();
    for (var key : TicketSearchAttributes.ALL) {
      temporal.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
  }

  @AfterEach
  void stopTemporal() {
    temporal.close();
  }

  @Test
  void aCallbackThatCannotBeRegisteredLeavesNoTicketNoKeyAndNoWorkflowAndTheRetryMakesTheTicketAfresh() {
    TicketCallbacks unreachable = new TicketCallbacks(jdbc, cipher, clock) {
      @Override
      public void register(String ticketId, String url, String secret) {
        throw new DataAccessResourceFailureException("injected: the callback could not be written");
      }
    };
    assertThatThrownBy(() -> creator(unreachable, plainClient()).create(scanWithCallback(), TOKEN, "CHG-1"))
        .hasMessageContaining("injected");
    assertNothingStored();
    String id = TicketIds.fromIdempotencyKey(Operation.SCAN, TOKEN, "CHG-1");
    assertThatThrownBy(() -> plainClient().newUntypedWorkflowStub(id).describe())
        .isInstanceOf(WorkflowNotFoundException.class);

    IdempotentTickets.Outcome retry = creator(callbacks, plainClient()).create(scanWithCallback(), TOKEN, "CHG-1");
    assertThat(retry.replayed()).as("made afresh, not a replay of a half-made ticket").isFalse();
    assertThat(retry.ticket().id()).isEqualTo(id);
    assertThat(callbacks.status(id)).isPresent();
    assertThat(keys.find(TOKEN, "CHG-1")).hasValueSatisfying(use -> assertThat(use.ticketId()).isEqualTo(id));
    assertThat(workflowStatus(id)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
  }

  /** The server accepted the start, but its answer was lost (a timeout): the ticket is there and runs, so it stays. */
  @Test
  void aStartThatFailsAfterTemporalAcceptedItKeepsTheTicketItsKeyAndItsCallback() {
    IdempotentTickets.Outcome made = creator(callbacks, clientThat(StartFault.AFTER_THE_SERVER_ACCEPTED, false))
        .create(scanWithCallback(), TOKEN, "CHG-2");

    String id = made.ticket().id();
    assertThat(made.replayed()).isFalse();
    assertThat(tickets.get(id).hostCount()).isEqualTo(1);
    assertThat(keys.find(TOKEN, "CHG-2")).isPresent();
    assertThat(callbacks.status(id)).isPresent();
    assertThat(workflowStatus(id)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

    IdempotentTickets.Outcome retry = creator(callbacks, plainClient()).create(scanWithCallback(), TOKEN, "CHG-2");
    assertThat(retry.replayed()).isTrue();
    assertThat(retry.ticket().id()).isEqualTo(id);
  }

  /** A workflow of the ticket's id ran and closed already (a retried plan run, say): it is that ticket's, so the ticket stays. */
  @Test
  void aStartWhoseWorkflowExistsAlreadyKeepsTheTicket() {
    String id = TicketIds.fromIdempotencyKey(Operation.SCAN, TOKEN, "CHG-3");
    WorkflowClient client = plainClient();
    client.newUntypedWorkflowStub("TicketWorkflow", WorkflowOptions.newBuilder().setWorkflowId(id)
        .setTaskQueue(TaskQueues.TICKETS).build()).start();
    client.newUntypedWorkflowStub(id).terminate("closed before the ticket was recorded");

    IdempotentTickets.Outcome made = creator(callbacks, client).create(scanWithCallback(), TOKEN, "CHG-3");

    assertThat(made.ticket().id()).isEqualTo(id);
    assertThat(tickets.get(id)).isNotNull();
    assertThat(keys.find(TOKEN, "CHG-3")).isPresent();
  }

  @Test
  void aStartThatTemporalRefusedRemovesTheTicketItsKeyAndItsCallbackAndTheRetryMakesItAfresh() {
    assertThatThrownBy(() -> creator(callbacks, clientThat(StartFault.BEFORE_THE_SERVER_SAW_IT, false))
        .create(scanWithCallback(), TOKEN, "CHG-4"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Temporal did not accept the ticket's workflow");
    assertNothingStored();

    IdempotentTickets.Outcome retry = creator(callbacks, plainClient()).create(scanWithCallback(), TOKEN, "CHG-4");
    assertThat(retry.replayed()).isFalse();
    assertThat(workflowStatus(retry.ticket().id())).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
  }

  /**
   * Temporal answers neither the start nor the question whether the workflow exists: deleting the
   * ticket might leave its workflow running unseen, so the ticket is kept (the worker's reconciler
   * ends it FAILED if its workflow never appears) and the caller is told the start was not confirmed.
   */
  @Test
  void aStartTemporalCannotConfirmKeepsTheTicketForTheReconciler() {
    assertThatThrownBy(() -> creator(callbacks, clientThat(StartFault.BEFORE_THE_SERVER_SAW_IT, true))
        .create(scanWithCallback(), TOKEN, "CHG-5"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Temporal did not confirm the start of the workflow of ticket");
    String id = TicketIds.fromIdempotencyKey(Operation.SCAN, TOKEN, "CHG-5");
    assertThat(tickets.get(id)).isNotNull();
    assertThat(tickets.unfinishedCreatedBefore(clock.instant().plusSeconds(1))).containsExactly(id);
  }

  /** The chain the API runs for a keyed request, over the given callback store and Temporal client. */
  IdempotentTickets creator(TicketCallbacks callbackStore, WorkflowClient client) {
    var temporalClient = new StaticListableBeanFactory(Map.of("temporal", client)).getBeanProvider(WorkflowClient.class);
    TicketLauncher launcher = new TicketLauncher(tickets, keys, callbackStore, new TicketBatchHooks(jdbc, cipher, clock),
        transactionManager, temporalClient, clock, agents);
    return new IdempotentTickets(new TicketService(hosts, baselines, reports, launcher, clock, outbound,
        new io.patchloop.hooks.HookStore(jdbc, clock), new io.patchloop.windows.MaintenanceWindowStore(jdbc, clock)),
        tickets, keys);
  }

  TicketSpec scanWithCallback() {
    return new TicketSpec(Operation.SCAN, List.of(web1.id()), null, null, null, null, null, null, null, null,
        "CHG0031337", new TicketSpec.Callback("https://itsm.example.com/cb", SECRET));
  }

  void assertNothingStored() {
    assertThat(jdbc.sql("SELECT COUNT(*) FROM tickets").query(Integer.class).single()).as("tickets").isZero();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM ticket_idempotency_keys").query(Integer.class).single()).as("keys")
        .isZero();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM ticket_callbacks").query(Integer.class).single()).as("callbacks")
        .isZero();
  }

  WorkflowExecutionStatus workflowStatus(String id) {
    return plainClient().newUntypedWorkflowStub(id).describe().getStatus();
  }

  WorkflowClient plainClient() {
    return temporal.getWorkflowClient();
  }

  enum StartFault { BEFORE_THE_SERVER_SAW_IT, AFTER_THE_SERVER_ACCEPTED }

  /** A client of the same test server whose starts fail as told; with {@code describeFails}, so does asking about a workflow. */
  WorkflowClient clientThat(StartFault fault, boolean describeFails) {
    var interceptor = new WorkflowClientInterceptorBase() {
      @Override
      public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(WorkflowClientCallsInterceptor next) {
        return new WorkflowClientCallsInterceptorBase(next) {
          @Override
          public WorkflowStartOutput start(WorkflowStartInput input) {
            if (fault == StartFault.AFTER_THE_SERVER_ACCEPTED) {
              super.start(input);
              throw new StatusRuntimeException(Status.DEADLINE_EXCEEDED.withDescription("injected: the answer was lost"));
            }
            throw new StatusRuntimeException(Status.UNAVAILABLE.withDescription("injected: Temporal is unreachable"));
          }

          @Override
          public DescribeWorkflowOutput describe(DescribeWorkflowInput input) {
            if (describeFails) {
              throw new StatusRuntimeException(Status.UNAVAILABLE.withDescription("injected: Temporal is unreachable"));
            }
            return super.describe(input);
          }
        };
      }
    };
    return WorkflowClient.newInstance(temporal.getWorkflowServiceStubs(), WorkflowClientOptions.newBuilder()
        .setNamespace(temporal.getNamespace()).setInterceptors(interceptor).build());
  }
}
