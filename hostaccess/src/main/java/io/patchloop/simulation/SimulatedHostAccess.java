package io.patchloop.simulation;

import io.patchloop.hostaccess.HostAccess;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.HostTarget;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.collect.CollectorCommands;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Host access to simulated hosts, for scale runs: instead of {@code SshHostAccess} (which is then
 * not created), only when {@code patchloop.simulation.enabled=true}. No host is reached; each
 * session answers the collector's commands from the generated host of its target's address
 * ({@link SimulatedFleet}), so everything from the collector's parsers to the stored report runs as
 * for a real fleet. Installs and reboots are refused.
 */
@Component
@ConditionalOnProperty(prefix = "patchloop.simulation", name = "enabled", havingValue = "true")
public class SimulatedHostAccess implements HostAccess {

  private static final Logger log = LoggerFactory.getLogger(SimulatedHostAccess.class);

  private final SimulationProperties properties;
  private final SimulatedFleet fleet;
  private final Map<CollectorCommands.Kind, LongAdder> answered = new EnumMap<>(CollectorCommands.Kind.class);
  private final LongAdder refusedOpens = new LongAdder();

  public SimulatedHostAccess(SimulationProperties properties) {
    this.properties = properties;
    this.fleet = new SimulatedFleet(properties.seed());
    for (CollectorCommands.Kind kind : CollectorCommands.Kind.values()) {
      answered.put(kind, new LongAdder());
    }
    log.warn("""

        ************************************************************************************
        * SIMULATED HOSTS (patchloop.simulation.enabled=true): no host is reached over SSH. *
        * Scans read generated inventories; reports say nothing about any real host.       *
        * seed {}, latency {} per command, failure rate {}                                 *
        ************************************************************************************""",
        properties.seed(), properties.latency(), properties.failureRate());
  }

  public SimulatedFleet fleet() {
    return fleet;
  }

  /** How many commands of this kind the simulated hosts have answered so far. */
  public long answered(CollectorCommands.Kind kind) {
    return answered.get(kind).sum();
  }

  /** How many session opens failed by the failure rate so far. */
  public long refusedOpens() {
    return refusedOpens.sum();
  }

  @Override
  public HostSession open(HostTarget target) {
    double rate = properties.failureRate();
    if (rate > 0 && ThreadLocalRandom.current().nextDouble() < rate) {
      refusedOpens.increment();
      throw new HostAccessException(HostErrorKind.UNREACHABLE, target
          + ": simulated host did not answer (patchloop.simulation.failure-rate " + rate + ")");
    }
    return new SimulatedHostSession(() -> fleet.host(target.address()), properties.latency(),
        kind -> answered.get(kind).increment());
  }
}
