package io.patchloop.simulation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Simulated hosts for scale runs ({@code patchloop.simulation.*}): with {@code enabled}, the workers
 * reach no host at all; {@link SimulatedHostAccess} answers the collector's commands from generated
 * inventories instead of {@code SshHostAccess}. Never for a real fleet.
 *
 * @param enabled replaces SSH with simulated hosts (off by default)
 * @param latency how long each command takes on a simulated host
 * @param failureRate the share of session opens that fail UNREACHABLE, 0 to 1
 * @param seed what the generated catalog and inventories are made from: the same seed and host address give the same host
 */
@ConfigurationProperties("patchloop.simulation")
public record SimulationProperties(
    @DefaultValue("false") boolean enabled,
    @DefaultValue("0s") Duration latency,
    @DefaultValue("0") double failureRate,
    @DefaultValue("1") long seed) {

  public SimulationProperties {
    if (latency == null || latency.isNegative()) {
      throw new IllegalArgumentException("patchloop.simulation.latency must be 0 or more");
    }
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new IllegalArgumentException("patchloop.simulation.failure-rate must be between 0 and 1");
    }
  }
}
