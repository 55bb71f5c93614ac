package io.patchloop.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.rpm.Evr;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based fuzzing of what an agent hands in: an agent runs on the host it reports on, so
 * its inventory is host data like the collector's output. Whatever values it carries (nulls, empty
 * and huge strings, odd versions, dates far off, duplicate ids), the central steps' reading of it,
 * the payload converter and then the compliance engine on the inventory cut to what the engine
 * reads, give a result or the converter's own typed error; never another exception, which would
 * end the host's central step as INTERNAL.
 */
class AgentInventoryFuzzTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final Baseline BASELINE = ComplianceEngineTest.approveAllAfter(0, ComplianceLevel.HIGH)
      .reject("telnet*", "HCE2-SA-0").build();
  private final DefaultDataConverter converter = DefaultDataConverter.newDefaultInstance();

  @Property(tries = 500)
  void anyInventoryIsEvaluatedWithoutAnUncheckedException(@ForAll("inventories") HostInventory inventory) {
    HostInventory compact = EngineInventory.compact(inventory);
    HostCompliance result = new ComplianceEngine().evaluate(compact, BASELINE, NOW, Set.of("HCE2-SA-1"));
    assertThat(result.status()).isNotNull();
  }

  /** The payload as the agent's JSON, garbled: read back as an inventory, or refused by the converter. */
  @Property(tries = 500)
  void anyGarbledPayloadIsReadOrRefusedByTheConverter(@ForAll("inventories") HostInventory inventory,
      @ForAll("garbles") List<Garble> garbles) {
    String json = new String(converter.toPayload(inventory).orElseThrow().getData().toByteArray(), StandardCharsets.UTF_8);
    for (Garble g : garbles) {
      json = g.apply(json);
    }
    var payload = converter.toPayload(inventory).orElseThrow().toBuilder()
        .setData(com.google.protobuf.ByteString.copyFromUtf8(json)).build();
    HostInventory read;
    try {
      read = converter.fromPayload(payload, HostInventory.class, HostInventory.class);
    } catch (DataConverterException refused) {
      return;
    }
    if (read != null) {
      new ComplianceEngine().evaluate(EngineInventory.compact(read), BASELINE, NOW, Set.of());
    }
  }

  /** The two cases the properties found (NullPointerExceptions in the engine), kept as they were. */
  @net.jqwik.api.Example
  void anInstalledPackageWithoutAnArchAndAnEntryWithoutAVersionAreSkipped() {
    var openssl = new InstalledPackage("openssl", Evr.parse("1:1.1.1m-15.hce2"), "x86_64", NOW);
    var noArch = new InstalledPackage("openssl", Evr.parse("1:1.1.1m-15.hce2"), null, NOW);
    var fix = new AdvisoryPackage("openssl", Evr.parse("1:1.1.1m-21.hce2"), "x86_64");
    var noVersion = new AdvisoryPackage("openssl", null, "x86_64");
    var advisory = new Advisory("HCE2-SA-2", "openssl", "security", PatchCategory.SECURITY, PatchSeverity.CRITICAL,
        NOW.minusSeconds(86400), new ArrayList<>(java.util.Arrays.asList(noVersion, fix, null)), List.of(), false);
    var inventory = new HostInventory("hce", "2.0", "HCE 2.0", "5.10.0-1.hce2.x86_64", NOW.minusSeconds(3600),
        java.util.Arrays.asList(noArch, openssl, null), Set.of(), List.of(advisory), false, 60L);
    HostCompliance result = new ComplianceEngine().evaluate(inventory, BASELINE, NOW, Set.of());
    assertThat(result.patches()).singleElement()
        .satisfies(p -> assertThat(p.state()).isEqualTo(PatchState.MISSING));
  }

  record Garble(int at, String insert, int drop) {
    String apply(String text) {
      int i = Math.min(at, text.length());
      return text.substring(0, i) + insert + text.substring(Math.min(text.length(), i + drop));
    }
  }

  @Provide
  Arbitrary<List<Garble>> garbles() {
    Arbitrary<String> inserts = Arbitraries.of("null", "\"\"", "-1", "[]", "{}", "\"x\"", "99999999999999999999", ",",
        "\"epoch\":-5", "\"installedAt\":\"+99999-01-01T00:00:00Z\"", "true", "1e400");
    return Combinators.combine(Arbitraries.integers().between(0, 4000), inserts, Arbitraries.integers().between(0, 40))
        .as(Garble::new).list().ofMaxSize(4);
  }

  @Provide
  Arbitrary<HostInventory> inventories() {
    Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("openssl", "kernel", "kernel-core", "telnet", "bash", ""),
        Arbitraries.strings().ofMaxLength(300), Arbitraries.just(null));
    Arbitrary<String> arches = Arbitraries.oneOf(Arbitraries.of("x86_64", "noarch", "aarch64", ""), Arbitraries.just(null));
    Arbitrary<Evr> evrs = Arbitraries.oneOf(
        Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE),
            Arbitraries.strings().ofMaxLength(40), Arbitraries.strings().ofMaxLength(40)).as(Evr::new),
        Arbitraries.of("1.0-1", "1:1.1.1m-21.hce2", "0-0", "~1-^2").map(Evr::parse),
        Arbitraries.just(null));
    Arbitrary<Instant> instants = Arbitraries.oneOf(
        Arbitraries.longs().between(-31_557_014_167_219_200L, 31_556_889_864_403_199L).map(Instant::ofEpochSecond),
        Arbitraries.just(NOW), Arbitraries.just(null));
    Arbitrary<InstalledPackage> installed = Combinators.combine(names, evrs, arches, instants).as(InstalledPackage::new)
        .injectNull(0.05);
    Arbitrary<AdvisoryPackage> entries = Combinators.combine(names, evrs, arches).as(AdvisoryPackage::new).injectNull(0.05);
    Arbitrary<String> ids = Arbitraries.oneOf(Arbitraries.of("HCE2-SA-0", "HCE2-SA-1", "HCE2-SA-1", ""),
        Arbitraries.strings().ofMaxLength(200), Arbitraries.just(null));
    Arbitrary<Advisory> advisories = Combinators.combine(ids, names, Arbitraries.of("security", "bugfix", "", "x"),
            Arbitraries.of(PatchCategory.class).injectNull(0.1), Arbitraries.of(PatchSeverity.class).injectNull(0.1),
            instants, entries.list().ofMaxSize(6).injectNull(0.05), Arbitraries.strings().ofMaxLength(30).list().ofMaxSize(3))
        .as((id, title, type, category, severity, issued, pkgs, cves) -> new Advisory(id, title, type, category, severity,
            issued, pkgs == null ? null : new ArrayList<>(pkgs), cves, false))
        .injectNull(0.05);
    return Combinators.combine(names, names, names, instants, installed.list().ofMaxSize(12).injectNull(0.05),
            names.set().ofMaxSize(3).injectNull(0.05), advisories.list().ofMaxSize(8).injectNull(0.05),
            Arbitraries.of(true, false).injectNull(0.3))
        .as((osVersion, product, kernel, boot, pkgs, kernels, advs, restart) -> new HostInventory("hce", osVersion, product,
            kernel, boot, pkgs, kernels, advs, restart, 60L));
  }
}
