package io.patchloop.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.advisories.AdvisoryCatalog;
import io.patchloop.advisories.InMemoryAdvisoryCatalog;
import io.patchloop.advisories.UpdateInfoFile;
import io.patchloop.advisories.UpdateInfoFileStore;
import io.patchloop.baselines.ApprovalRule;
import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineSpec;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.baselines.RejectedPatchesAction;
import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import io.patchloop.compliance.ComplianceEngine;
import io.patchloop.compliance.PatchCompliance;
import io.patchloop.hostaccess.HostAccess;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.HostTarget;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.HostInventory;
import io.patchloop.store.StoreTestApplication;
import io.patchloop.testing.lab.LabFleet;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.scan.MetadataRefresh;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The fast collector against the one it replaces, on real lab hosts of every profile: the same
 * inventory and the same patch state for every advisory, also after a repair with and without the
 * reboot; no package-manager process while the cache is fresh; each updateinfo file sent once for
 * the fleet (the real MariaDB catalog), a fraction of the bytes; and a missing or forged cache
 * still fails closed.
 */
@SpringBootTest(classes = StoreTestApplication.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FastCollectorLabTest {

  @RegisterExtension
  static LabFleet fleet = LabFleet.builder().hosts(5).profile("demo").and("quirks", 3).and("bulk", 1).build();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "fastcollector");
  }

  @Autowired HostAccess access;
  @Autowired UpdateInfoFileStore store;
  @Autowired BaselineStore baselines;
  final ComplianceEngine engine = new ComplianceEngine();

  final CollectorTraffic traffic = new CollectorTraffic();
  final CountingCatalog catalog = new CountingCatalog();
  RpmCollector fast;
  Baseline everything;

  /** The real catalog, counting what hosts had to send. */
  class CountingCatalog implements AdvisoryCatalog {
    final Map<String, AtomicInteger> saves = new ConcurrentHashMap<>();

    @Override
    public Optional<UpdateInfoFile> find(String checksum) {
      return store.find(checksum);
    }

    @Override
    public void save(String checksum, String source, UpdateInfoFile file) {
      saves.computeIfAbsent(checksum, c -> new AtomicInteger()).incrementAndGet();
      store.save(checksum, source, file);
    }
  }

  @BeforeAll
  void setUp() {
    fast = new RpmCollector(traffic, catalog);
    // every advisory approved at once, so every applicable advisory has a state to compare
    everything = baselines.create(new BaselineSpec("all-approved", null, Scenario.ECS, OsFamily.HCE, List.of(
        new ApprovalRule(List.of("ALL"), List.of("ALL"), List.of("ALL"), 0, null, ComplianceLevel.HIGH)),
        List.of(), ComplianceLevel.HIGH, List.of(), RejectedPatchesAction.ALLOW_AS_DEPENDENCY, false));
  }

  HostSession open(LabFleet.Host h) {
    return access.open(new HostTarget(h.address(), h.port(), "root", fleet.keyPath(), null, null));
  }

  HostInventory reference(LabFleet.Host h) {
    try (HostSession s = open(h)) {
      return ReferenceCollector.collect(s);
    }
  }

  HostInventory fast(LabFleet.Host h, MetadataRefresh refresh) {
    try (HostSession s = open(h)) {
      return fast.collect(s, refresh);
    }
  }

  /** Same host facts, same advisories, and the same state for every advisory under one baseline. */
  void assertSameAnswers(LabFleet.Host h, HostInventory reference, HostInventory fast) {
    String host = h.name() + " (" + h.profile() + "/" + h.intendedState() + ")";
    assertThat(fast.product()).as(host).isEqualTo(reference.product());
    assertThat(fast.runningKernel()).as(host).isEqualTo(reference.runningKernel());
    assertThat(fast.bootTime()).as(host).isEqualTo(reference.bootTime());
    assertThat(fast.packages()).as(host).containsExactlyInAnyOrderElementsOf(reference.packages());
    assertThat(fast.kernelPackageNames()).as(host).isEqualTo(reference.kernelPackageNames());
    assertThat(fast.needsRestarting()).as(host + ": needs-restarting -r").isEqualTo(reference.needsRestarting());
    assertThat(byId(fast.advisories())).as(host).isEqualTo(byId(reference.advisories()));
    Instant now = Instant.now();
    assertThat(states(fast, now)).as(host + ": patch states").isEqualTo(states(reference, now)).isNotEmpty();
  }

  static Map<String, Advisory> byId(List<Advisory> advisories) {
    return advisories.stream().collect(Collectors.toMap(Advisory::id, a -> a, (a, b) -> a, TreeMap::new));
  }

  Map<String, String> states(HostInventory inventory, Instant at) {
    return engine.evaluate(inventory, everything, at, Set.of()).patches().stream()
        .collect(Collectors.toMap(p -> p.advisory().id(), (PatchCompliance p) -> p.state().name(), (a, b) -> a,
            TreeMap::new));
  }

  @Test
  void everyLabHostGivesTheSameAnswersBothWaysAndEachFileIsSentOnce() {
    Set<String> checksums = new HashSet<>();
    for (LabFleet.Host h : fleet.hosts()) {
      HostInventory reference = reference(h); // also leaves the host's metadata freshly made
      HostInventory fast = fast(h, MetadataRefresh.AUTO);
      assertSameAnswers(h, reference, fast);
    }
    checksums.addAll(catalog.saves.keySet());
    assertThat(checksums).as("one updateinfo file per profile's repository").hasSize(3);
    assertThat(catalog.saves.values()).allSatisfy(n -> assertThat(n.get()).as("stored once for the fleet").isEqualTo(1));
  }

  @Test
  void theSameAnswersAfterARepairWithoutAndThenWithTheReboot() {
    LabFleet.Host h = fleet.hostIn("demo", "missing-some");
    assertThat(fleet.ssh(h.index(), "dnf -y -q upgrade", Duration.ofMinutes(3)).ok()).isTrue();
    HostInventory repaired = reference(h);
    assertThat(repaired.needsRestarting()).as("the kernel was updated: a reboot is needed").isTrue();
    assertSameAnswers(h, repaired, fast(h, MetadataRefresh.AUTO));
    fleet.reboot(h.index());
    HostInventory rebooted = reference(h);
    assertThat(rebooted.needsRestarting()).isFalse();
    assertSameAnswers(h, rebooted, fast(h, MetadataRefresh.AUTO));
  }

  /** dnf appends to /var/log/dnf.log at every start: its size tells whether one ran. */
  long dnfLogSize(LabFleet.Host h) {
    return Long.parseLong(fleet.ssh(h.index(), "stat -c %s /var/log/dnf.log 2>/dev/null || echo 0").stdout().strip());
  }

  @Test
  void thePackageManagerStartsOnlyWhenTheMetadataExpiredOrARefreshIsAskedFor() {
    LabFleet.Host h = fleet.hostIn("demo", "patched");
    fast(h, MetadataRefresh.AUTO); // whatever the cache was, it is fresh now
    long before = dnfLogSize(h);
    fast(h, MetadataRefresh.AUTO);
    fast(h, MetadataRefresh.NEVER);
    assertThat(dnfLogSize(h)).as("no dnf start with a fresh cache").isEqualTo(before);

    assertThat(fleet.ssh(h.index(), "dnf -q clean expire-cache").ok()).isTrue();
    before = dnfLogSize(h);
    fast(h, MetadataRefresh.NEVER);
    assertThat(dnfLogSize(h)).as("NEVER does not start dnf, even on expired metadata").isEqualTo(before);
    fast(h, MetadataRefresh.AUTO);
    long afterAuto = dnfLogSize(h);
    assertThat(afterAuto).as("AUTO refreshes expired metadata").isGreaterThan(before);
    assertThat(fleet.ssh(h.index(), "cat /var/cache/dnf/expired_repos.json").stdout()).doesNotContain("lab-demo");
    fast(h, MetadataRefresh.ALWAYS);
    assertThat(dnfLogSize(h)).as("ALWAYS refreshes a fresh cache too").isGreaterThan(afterAuto);
  }

  @Test
  void warmScansOfTheBulkHostSendAFractionOfTheBytes() {
    LabFleet.Host h = first("bulk");
    long referenceBytes;
    try (HostSession s = open(h)) {
      referenceBytes = ReferenceCollector.outputBytes(s);
    }
    fast(h, MetadataRefresh.AUTO); // the file is in the catalog from here on
    long before = traffic.bytesReceived();
    fast(h, MetadataRefresh.AUTO);
    long warm = traffic.bytesReceived() - before;
    System.out.printf("bulk host: the collector before sent %d bytes, a warm scan now %d (%.1f %%)%n", referenceBytes,
        warm, 100.0 * warm / referenceBytes);
    assertThat(warm).as("bytes of a warm scan vs the collector before (%d)", referenceBytes)
        .isLessThanOrEqualTo(referenceBytes / 10);
  }

  @Test
  void aMissingCacheOrAFileThatDoesNotMatchItsChecksumFailsClosed() {
    LabFleet.Host h = first("quirks");
    assertThat(fleet.ssh(h.index(), "rm -rf /var/cache/dnf/lab-quirks-*").ok()).isTrue();
    assertThatThrownBy(() -> fast(h, MetadataRefresh.NEVER)).isInstanceOf(HostAccessException.class)
        .satisfies(e -> assertThat(((HostAccessException) e).kind()).isEqualTo(HostErrorKind.METADATA_UNAVAILABLE))
        .hasMessageContaining("lab-quirks");
    fast(h, MetadataRefresh.AUTO); // makes the cache again

    // another host's advisories in this repository's cached file: its checksum no longer matches repomd.xml
    String forged = "f=$(ls /var/cache/dnf/lab-quirks-*/repodata/*updateinfo.xml.gz) && "
        + "zcat \"$f\" | sed 's/<title>/<title>forged /' | gzip > /tmp/u.gz && cat /tmp/u.gz > \"$f\"";
    assertThat(fleet.ssh(h.index(), forged).ok()).isTrue();
    RpmCollector withEmptyCatalog = new RpmCollector(new CollectorTraffic(), new InMemoryAdvisoryCatalog(8));
    try (HostSession s = open(h)) {
      assertThatThrownBy(() -> withEmptyCatalog.collect(s, MetadataRefresh.NEVER)).isInstanceOf(HostAccessException.class)
          .satisfies(e -> assertThat(((HostAccessException) e).kind()).isEqualTo(HostErrorKind.METADATA_UNAVAILABLE))
          .hasMessageContaining("does not match the checksum");
    }
    assertThat(fleet.ssh(h.index(), "dnf -q clean metadata && dnf -q makecache").ok()).isTrue();
  }

  static LabFleet.Host first(String profile) {
    return fleet.hosts().stream().filter(x -> x.profile().equals(profile)).findFirst().orElseThrow();
  }
}
