package io.patchloop.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.common.OsFamily;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.store.StoreTestApplication;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.history.ComplianceHistoryWorkflow;
import io.patchloop.workflows.history.ComplianceHistoryWorkflowImpl;
import io.patchloop.workflows.history.SnapshotTaken;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The daily snapshot's activity on the real database, alone and driven by its workflow on a skipping clock. */
@SpringBootTest(classes = StoreTestApplication.class)
class ComplianceHistoryActivitiesTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "historyactivities");
    registry.add("patchloop.history.time", () -> "02:15");
    registry.add("patchloop.history.tag-keys", () -> "zone");
    registry.add("patchloop.history.retention-days", () -> "2");
  }

  @Autowired ComplianceHistoryActivitiesImpl activities;
  @Autowired HostStore hosts;
  @Autowired JdbcClient jdbc;

  @BeforeEach
  void oneHostNeverScanned() {
    jdbc.sql("DELETE FROM hosts").update();
    jdbc.sql("DELETE FROM compliance_history").update();
    hosts.create(new HostSpec("web-1", "10.0.0.1", null, null, "/keys/id_ed25519", null, OsFamily.HCE, null,
        Map.of("zone", "az1")));
  }

  List<String> days() {
    return jdbc.sql("SELECT DISTINCT snapshot_day FROM compliance_history ORDER BY snapshot_day")
        .query(LocalDate.class).list().stream().map(LocalDate::toString).toList();
  }

  @Test
  void takesTheDayByTheConfiguredTagKeysAndKeepsTheRetentionDays() {
    // HCE-default: all hosts, OS HCE, zone az1
    assertThat(activities.takeSnapshot("2026-11-27")).isEqualTo(new SnapshotTaken(3, 0, "02:15"));
    assertThat(activities.takeSnapshot("2026-11-28")).isEqualTo(new SnapshotTaken(3, 0, "02:15"));
    assertThat(activities.takeSnapshot("2026-11-28")).as("a retry").isEqualTo(new SnapshotTaken(3, 0, "02:15"));
    assertThat(activities.takeSnapshot("2026-11-29")).isEqualTo(new SnapshotTaken(3, 3, "02:15"));
    assertThat(days()).containsExactly("2026-11-28", "2026-11-29");
    assertThat(jdbc.sql("SELECT group_value FROM compliance_history WHERE group_kind = 'TAG' AND group_key = 'zone'")
        .query(String.class).list()).containsOnly("az1");
  }

  @Test
  void theWorkflowWritesOneSnapshotADayAtTheConfiguredTime() {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setInitialTime(Instant.parse("2026-11-27T00:00:00Z")).build())) {
      Worker worker = env.newWorker(TaskQueues.TICKETS);
      worker.registerWorkflowImplementationTypes(ComplianceHistoryWorkflowImpl.class);
      worker.registerActivitiesImplementations(activities);
      env.start();
      ComplianceHistoryWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ComplianceHistoryWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(ComplianceHistoryWorkflow.WORKFLOW_ID)
              .setTaskQueue(TaskQueues.TICKETS).build());
      WorkflowClient.start(workflow::run, "02:15");
      env.sleep(Duration.ofHours(2));
      assertThat(days()).isEmpty();
      env.sleep(Duration.ofMinutes(20));
      assertThat(days()).containsExactly("2026-11-27");
      env.sleep(Duration.ofDays(2));
      assertThat(days()).as("two days kept").containsExactly("2026-11-28", "2026-11-29");
    }
  }
}
