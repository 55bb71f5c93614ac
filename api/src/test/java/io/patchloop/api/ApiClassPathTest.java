package io.patchloop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The API process loads the domain, the workflow client and notification channels, and nothing
 * that works on hosts: no activity implementation, SSH client or collector is on its class path,
 * so no component scan can pick one up. Guards the module dependencies of api/pom.xml.
 */
class ApiClassPathTest {

  @Test
  void noActivityOrHostAccessCodeIsOnTheApiClassPath() {
    for (String name : new String[] {
        "io.patchloop.hoststeps.SshHostActivitiesImpl", "io.patchloop.hoststeps.ReportActivitiesImpl",
        "io.patchloop.tickets.TicketRecordActivitiesImpl", "io.patchloop.agent.HostAgentActivitiesImpl",
        "io.patchloop.hostaccess.SshHostAccess", "io.patchloop.collect.RpmCollector", "net.schmizz.sshj.SSHClient"}) {
      assertThatThrownBy(() -> Class.forName(name)).as(name).isInstanceOf(ClassNotFoundException.class);
    }
  }

  @Test
  void whatTheApiNeedsIsThere() throws Exception {
    // the same lookup finds the classes the API does use, so the test above cannot pass by accident
    for (String name : new String[] {"io.patchloop.tickets.TicketLauncher", "io.patchloop.reports.ReportStore",
        "io.patchloop.notifications.NotificationService", "io.patchloop.repair.RepairPlanner"}) {
      assertThat(Class.forName(name)).as(name).isNotNull();
    }
  }
}
