package io.patchloop.compliance.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.compliance.ComplianceEngine;
import io.patchloop.compliance.EngineInventory;
import io.patchloop.compliance.HostCompliance;
import io.patchloop.compliance.PatchCompliance;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The inventory a host step hands on is cut to what the engine reads ({@link EngineInventory}):
 * on the benchmark's synthetic hosts (multilib, noarch, install-only kernels, rejected names and
 * globs, packages installed after boot) the engine says exactly the same of the cut one.
 */
class EngineInventoryTest {

  private final EngineBenchmark data = new EngineBenchmark(60, 600, 1_200, 1);

  /** Everything of a result but the advisory object itself, whose package list the cut shortens. */
  private static List<Object> verdicts(HostCompliance c) {
    return List.of(c.status(), c.countsByState(), c.countsByLevel(), c.patches().stream().map(EngineInventoryTest::verdict).toList());
  }

  private static List<Object> verdict(PatchCompliance p) {
    return List.of(p.advisory().id(), p.state(), String.valueOf(p.level()), p.approved(), p.rejected(), p.rebootNeeded(),
        p.packages());
  }

  @Test
  void theEngineSaysTheSameOfTheCutInventory() {
    var prepared = new ComplianceEngine().prepare(data.baseline, EngineBenchmark.NOW);
    for (int h = 0; h < 60; h++) {
      HostInventory full = data.host(h);
      HostInventory cut = EngineInventory.compact(full);
      assertThat(verdicts(prepared.evaluate(cut, data.failed(h)))).as("host %d", h)
          .isEqualTo(verdicts(prepared.evaluate(full, data.failed(h))));
      assertThat(cut.packages().size()).isLessThanOrEqualTo(full.packages().size());
      assertThat(cut.advisories()).allSatisfy(a -> assertThat(a.packages()).isNotEmpty());
    }
  }

  @Test
  void keepsOnlyEntriesOfAnInstalledNameAndArchAndThePackagesTheyName() {
    HostInventory cut = EngineInventory.compact(data.host(3));
    var installed = cut.packages().stream().map(p -> p.name() + "." + p.arch()).toList();
    assertThat(cut.advisories()).flatExtracting(a -> a.packages())
        .allSatisfy(e -> assertThat(installed).contains(((AdvisoryPackage) e).name() + "." + ((AdvisoryPackage) e).arch()));
  }
}
