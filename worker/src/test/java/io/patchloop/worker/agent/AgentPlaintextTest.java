package io.patchloop.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.agent.AgentPresenceActivities;
import io.patchloop.workflows.agent.AgentPresenceWorkflowImpl;
import io.patchloop.workflows.agent.AgentReport;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.WorkerFactory;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An agent started with {@code --insecure-plaintext} against a real (plaintext) Temporal test
 * server: it connects and reports, and its log says, as a WARN before it connects, that the link is
 * unencrypted and who can then command it. The logger is the agent's own, captured.
 */
class AgentPlaintextTest {

  @Test
  void anExplicitlyPlaintextAgentWarnsAtStartAndWorks() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    BlockingQueue<AgentReport> reports = new LinkedBlockingQueue<>();
    Logger agentLog = (Logger) LoggerFactory.getLogger(Agent.class);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    agentLog.addAppender(captured);
    try (TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(port)) {
      WorkerFactory central = WorkerFactory.newInstance(WorkflowClient.newInstance(WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build())));
      var worker = central.newWorker(TaskQueues.TICKETS);
      worker.registerWorkflowImplementationTypes(AgentPresenceWorkflowImpl.class);
      worker.registerActivitiesImplementations((AgentPresenceActivities) reports::add);
      central.start();
      Agent agent = new Agent(AgentConfig.from(Map.of("PATCHLOOP_AGENT_HOST_ID", "9",
          "PATCHLOOP_AGENT_TEMPORAL_TARGET", "127.0.0.1:" + port, "PATCHLOOP_AGENT_REPORT_INTERVAL_SECONDS", "1"),
          List.of("--insecure-plaintext")));
      try {
        agent.start();
        AgentReport report = reports.poll(60, TimeUnit.SECONDS);
        assertThat(report).as("a report over plaintext").isNotNull();
        assertThat(report.hostId()).isEqualTo(9);
      } finally {
        agent.stop();
        central.shutdownNow();
      }
    } finally {
      agentLog.detachAppender(captured);
    }
    List<ILoggingEvent> warnings = captured.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    assertThat(warnings).isNotEmpty();
    assertThat(warnings.get(0).getFormattedMessage()).contains("127.0.0.1:" + port).contains("NOT encrypted")
        .contains("command it").contains("as root");
    // before it connects: the first thing an operator sees of a plaintext agent
    assertThat(captured.list.get(0)).isSameAs(warnings.get(0));
  }
}
