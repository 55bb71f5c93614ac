package io.patchloop.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.advisories.InMemoryAdvisoryCatalog;
import io.patchloop.collect.CollectorCommands;
import io.patchloop.collect.CollectorTraffic;
import io.patchloop.collect.RpmCollector;
import io.patchloop.hostaccess.HostAccess;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostKeyPolicy;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.HostTarget;
import io.patchloop.hostaccess.KnownHostKeyStore;
import io.patchloop.hostaccess.ShellCommand;
import io.patchloop.hostaccess.SshHostAccess;
import io.patchloop.hostaccess.SshProperties;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.scan.MetadataRefresh;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The simulated hosts through the platform's real collector: {@link RpmCollector} with its parsers,
 * the repository freshness rule and the advisory catalog (the in-memory one the agent tests use;
 * the database-backed one is the same interface) read what the simulated sessions print.
 */
class SimulatedHostAccessTest {

  private static final String HOST_42 = "sim-000042.sim.invalid";
  private static final String HOST_43 = "sim-000043.sim.invalid";

  private static SimulatedHostAccess access(double failureRate, Duration latency) {
    return new SimulatedHostAccess(new SimulationProperties(true, latency, failureRate, 7));
  }

  private static HostTarget target(String address) {
    return new HostTarget(address, 22, "root", java.nio.file.Path.of("/dev/null"), null, null);
  }

  private static Set<String> ids(HostInventory inventory) {
    return inventory.advisories().stream().map(Advisory::id).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void theRealCollectorReadsTheGeneratedInventoryAndTheCatalogKeepsTheFileAfterTheFirstHost() {
    SimulatedHostAccess access = access(0, Duration.ZERO);
    InMemoryAdvisoryCatalog catalog = new InMemoryAdvisoryCatalog(4);
    CollectorTraffic traffic = new CollectorTraffic();
    RpmCollector collector = new RpmCollector(traffic, catalog);
    SimulatedHost expected = access.fleet().host(HOST_42);

    HostInventory inventory;
    try (HostSession session = access.open(target(HOST_42))) {
      inventory = collector.collect(session, MetadataRefresh.AUTO);
    }

    assertThat(inventory.osId()).isEqualTo("hce");
    assertThat(inventory.osVersion()).isEqualTo("2.0");
    assertThat(inventory.runningKernel()).isEqualTo("5.10.0-182.0.0.95.hce2.x86_64");
    assertThat(inventory.needsRestarting()).isFalse();
    assertThat(inventory.packages()).hasSize(expected.packageCount());
    assertThat(expected.packageCount()).isBetween(950, 1050);
    assertThat(ids(inventory)).isEqualTo(expected.applicableAdvisoryIds());
    assertThat(expected.applicableAdvisoryIds()).hasSizeBetween(100, 300);
    assertThat(expected.missingAdvisoryIds()).isNotEmpty().hasSizeLessThan(expected.applicableAdvisoryIds().size());
    assertThat(expected.applicableAdvisoryIds()).containsAll(expected.missingAdvisoryIds());
    // fresh metadata: no refresh; the first host sends the file, and the catalog has it by its checksum
    assertThat(access.answered(CollectorCommands.Kind.REFRESH)).isZero();
    assertThat(access.answered(CollectorCommands.Kind.READ_UPDATE_INFO)).isEqualTo(1);
    assertThat(catalog.find(access.fleet().updateInfoChecksum())).get()
        .satisfies(file -> assertThat(file.advisories()).hasSize(SimulatedFleet.ADVISORIES));

    HostInventory other;
    try (HostSession session = access.open(target(HOST_43))) {
      other = collector.collect(session, MetadataRefresh.AUTO);
    }
    assertThat(access.answered(CollectorCommands.Kind.READ_UPDATE_INFO)).as("the second host's file is the catalog's")
        .isEqualTo(1);
    assertThat(access.answered(CollectorCommands.Kind.PROBE)).isEqualTo(2);
    assertThat(ids(other)).isEqualTo(access.fleet().host(HOST_43).applicableAdvisoryIds())
        .isNotEqualTo(ids(inventory));
    assertThat(other.packages()).isNotEqualTo(inventory.packages());
  }

  @Test
  void aHostIsTheSameForTheSameSeedAndAddressAndDiffersOtherwise() {
    SimulatedHost a = new SimulatedFleet(7).host(HOST_42);
    SimulatedHost again = new SimulatedFleet(7).host(HOST_42);
    assertThat(again.rpmQa()).isEqualTo(a.rpmQa());
    assertThat(again.applicableAdvisoryIds()).isEqualTo(a.applicableAdvisoryIds());
    assertThat(again.missingAdvisoryIds()).isEqualTo(a.missingAdvisoryIds());
    assertThat(new SimulatedFleet(7).updateInfoChecksum()).isEqualTo(new SimulatedFleet(7).updateInfoChecksum());

    assertThat(new SimulatedFleet(7).host(HOST_43).rpmQa()).isNotEqualTo(a.rpmQa());
    assertThat(new SimulatedFleet(8).host(HOST_42).rpmQa()).isNotEqualTo(a.rpmQa());
    assertThat(new SimulatedFleet(8).updateInfoChecksum()).isNotEqualTo(new SimulatedFleet(7).updateInfoChecksum());

    // and through the collector: two scans of one host find the same
    SimulatedHostAccess access = access(0, Duration.ZERO);
    RpmCollector collector = new RpmCollector(new CollectorTraffic(), new InMemoryAdvisoryCatalog(4));
    HostInventory first;
    HostInventory second;
    try (HostSession s1 = access.open(target(HOST_42)); HostSession s2 = access.open(target(HOST_42))) {
      first = collector.collect(s1, MetadataRefresh.AUTO);
      second = collector.collect(s2, MetadataRefresh.AUTO);
    }
    assertThat(second.packages()).isEqualTo(first.packages());
    assertThat(second.advisories()).isEqualTo(first.advisories());
  }

  @Test
  void theFailureRateIsTheShareOfOpensThatFailUnreachable() {
    SimulatedHostAccess access = access(0.25, Duration.ZERO);
    int failed = 0;
    for (int i = 0; i < 2000; i++) {
      try {
        access.open(target("sim-%06d.sim.invalid".formatted(i))).close();
      } catch (HostAccessException e) {
        assertThat(e.kind()).isEqualTo(HostErrorKind.UNREACHABLE);
        assertThat(e.getMessage()).contains("failure-rate");
        failed++;
      }
    }
    assertThat(failed).isBetween(400, 600); // 500 expected; 400..600 is more than 8 standard deviations wide
    assertThat(access.refusedOpens()).isEqualTo(failed);

    SimulatedHostAccess reliable = access(0, Duration.ZERO);
    for (int i = 0; i < 500; i++) {
      reliable.open(target(HOST_42)).close();
    }
    assertThat(reliable.refusedOpens()).isZero();
  }

  @Test
  void eachCommandTakesTheLatency() {
    InMemoryAdvisoryCatalog catalog = new InMemoryAdvisoryCatalog(4);
    RpmCollector collector = new RpmCollector(new CollectorTraffic(), catalog);
    SimulatedHostAccess fast = access(0, Duration.ZERO);
    for (int i = 0; i < 3; i++) { // the catalog filled, the JIT warm: a scan without latency takes far less than a second
      collector.collect(fast.open(target(HOST_43)), MetadataRefresh.AUTO);
    }
    SimulatedHostAccess slow = new SimulatedHostAccess(new SimulationProperties(true, Duration.ofSeconds(1), 0, 7));
    long t0 = System.nanoTime();
    try (HostSession session = slow.open(target(HOST_42))) {
      collector.collect(session, MetadataRefresh.AUTO);
    }
    assertThat(slow.answered(CollectorCommands.Kind.PROBE)).isEqualTo(1);
    assertThat(slow.answered(CollectorCommands.Kind.READ_UPDATE_INFO)).as("the catalog has the file").isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("one command, the probe").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void commandsOtherThanTheScansAreRefused() {
    try (HostSession session = access(0, Duration.ZERO).open(target(HOST_42))) {
      assertThatThrownBy(() -> session.run(ShellCommand.constant("systemctl reboot"), Duration.ofSeconds(5)))
          .isInstanceOfSatisfying(HostAccessException.class, e -> {
            assertThat(e.kind()).isEqualTo(HostErrorKind.COMMAND_FAILED);
            assertThat(e.getMessage()).contains("simulated hosts only support scans");
          });
    }
  }

  @Configuration
  @EnableConfigurationProperties(SimulationProperties.class)
  static class Wiring {}

  /** The two host accesses as the component scan meets them: exactly one of them, simulation only when asked. */
  private final ApplicationContextRunner contexts = new ApplicationContextRunner()
      .withUserConfiguration(Wiring.class, SshHostAccess.class, SimulatedHostAccess.class)
      // SshHostAccess's collaborators, never used here: no host is opened, no query made
      .withBean(KnownHostKeyStore.class, () -> new KnownHostKeyStore(JdbcClient.create(new SimpleDriverDataSource()),
          Clock.systemUTC()))
      .withBean(SshProperties.class, () -> new SshProperties(HostKeyPolicy.TRUST_ON_FIRST_USE, Duration.ofSeconds(1), 1024));

  @Test
  void sshUnlessTheSimulationIsExplicitlyEnabled() {
    contexts.run(ctx -> {
      assertThat(ctx).hasSingleBean(HostAccess.class);
      assertThat(ctx.getBean(HostAccess.class)).isInstanceOf(SshHostAccess.class);
    });
    contexts.withPropertyValues("patchloop.simulation.enabled=false").run(ctx ->
        assertThat(ctx.getBean(HostAccess.class)).isInstanceOf(SshHostAccess.class));
    contexts.withPropertyValues("patchloop.simulation.enabled=true", "patchloop.simulation.seed=9").run(ctx -> {
      assertThat(ctx).hasSingleBean(HostAccess.class);
      assertThat(ctx.getBean(HostAccess.class)).isInstanceOfSatisfying(SimulatedHostAccess.class,
          s -> assertThat(s.fleet().seed()).isEqualTo(9));
    });
  }
}
