package io.patchloop.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.compliance.EngineInventory;
import io.patchloop.hoststeps.HostWork;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.workflows.host.ActivityPayloads;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The collector's output read as a stream: the same as read whole, whatever size the pieces come
 * in; of the advisories only the entries of installed packages kept; and the inventory of a large
 * host small enough to hand on. Heap and speed are measured by {@link CollectorMemoryBenchmark}.
 */
class StreamedCollectorOutputTest {

  static final String LARGE_HOST = large();

  private static String large() {
    StringWriter w = new StringWriter();
    try {
      SyntheticCollectorOutput.write(w, 7_000_000, 1_500, 600);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return w.toString();
  }

  /** Hands the bytes on 1 to 700 at a time, as a network would. */
  private static InputStream inPieces(String text, long seed) {
    Random rnd = new Random(seed);
    return new FilterInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 1 + rnd.nextInt(700)));
      }
    };
  }

  @Test
  void piecesOfAnySizeReadTheSameAsTheWhole() throws IOException {
    String fixture = RpmCollectorParseTest.framed("demo/pending-reboot", "dnf", "lab-demo\n", "lab-demo-79e8e645370cfd6d",
        Fixtures.read("demo/updateinfo.xml"));
    for (String text : List.of(fixture, LARGE_HOST)) {
      CollectorOutput whole = CollectorOutput.split(text, RpmCollectorParseTest.NONCE);
      for (long seed = 1; seed <= 3; seed++) {
        CollectorOutput pieces = CollectorOutput.read(inPieces(text, seed), RpmCollectorParseTest.NONCE);
        assertThat(pieces).isEqualTo(whole);
      }
    }
  }

  @Test
  void keepsOfEachAdvisoryTheEntriesOfInstalledPackagesAsTheWholeFileSays() {
    String xml = Fixtures.read("quirks/updateinfo.xml");
    String text = RpmCollectorParseTest.framed("quirks/missing-some", "dnf", "lab-quirks\n", "lab-quirks-0011223344556677", xml);
    HostInventory inv = RpmCollector.parse(CollectorOutput.split(text, RpmCollectorParseTest.NONCE));
    Set<String> installed = inv.packages().stream().map(p -> p.name() + "." + p.arch()).collect(Collectors.toSet());
    Map<String, Advisory> expected = new LinkedHashMap<>();
    for (Advisory a : UpdateInfoParser.parse(xml, "quirks").advisories()) {
      var entries = a.packages().stream().filter(p -> installed.contains(p.name() + "." + p.arch())).toList();
      if (!entries.isEmpty()) {
        expected.put(a.id(), new Advisory(a.id(), a.title(), a.type(), a.category(), a.severity(), a.issued(), entries,
            a.cves(), a.rebootSuggested()));
      }
    }
    assertThat(inv.advisories()).isNotEmpty().containsExactlyInAnyOrderElementsOf(expected.values());
  }

  @Test
  void aStreamCutAnywhereHasNoEnd() throws IOException {
    for (int cut : new int[] {10, LARGE_HOST.length() / 3, LARGE_HOST.length() - 30}) {
      CollectorOutput out = CollectorOutput.read(inPieces(LARGE_HOST.substring(0, cut), cut), RpmCollectorParseTest.NONCE);
      assertThat(out.ended()).as("cut at %d", cut).isFalse();
    }
  }

  /** 1,500 installed packages, 600 applicable advisories of 10 entries each: what a host step hands on, before and now. */
  @Test
  void aLargeHostsInventoryFitsAnActivityPayload() {
    HostInventory inv = RpmCollector.parse(CollectorOutput.split(LARGE_HOST, RpmCollectorParseTest.NONCE));
    HostInventory cut = EngineInventory.compact(inv);
    var json = io.temporal.common.converter.DefaultDataConverter.newDefaultInstance();
    int before = json.toPayload(wholeAdvisories(inv)).orElseThrow().getSerializedSize();
    int cutJson = json.toPayload(cut).orElseThrow().getSerializedSize();
    int now = ActivityPayloads.sizeOf(cut);
    System.out.printf("large host: %d installed, %d applicable advisories; inventory payload as the release before"
        + " handed it on %,d bytes; cut to what the engine reads %,d bytes (%d packages, %d entries); gzipped %,d bytes%n",
        inv.packages().size(), inv.advisories().size(), before, cutJson, cut.packages().size(),
        cut.advisories().stream().mapToInt(a -> a.packages().size()).sum(), now);
    assertThat(inv.advisories()).hasSize(600);
    assertThat(now).isLessThan(ActivityPayloads.MAX_BYTES);
  }

  /** The inventory as the release before made it: every installed package, every entry of an applicable advisory. */
  private static HostInventory wholeAdvisories(HostInventory inv) {
    Set<String> names = inv.packages().stream().map(InstalledPackage::name).collect(Collectors.toSet());
    List<Advisory> all = new ArrayList<>();
    String rest = LARGE_HOST;
    for (int at; (at = rest.indexOf("<?xml")) >= 0; ) {
      int end = rest.indexOf("</updates>", at) + "</updates>".length();
      for (Advisory a : UpdateInfoParser.parse(rest.substring(at, end), "synthetic").advisories()) {
        if (a.packages().stream().anyMatch(p -> names.contains(p.name()))) {
          all.add(a);
        }
      }
      rest = rest.substring(end);
    }
    return new HostInventory(inv.osId(), inv.osVersion(), inv.product(), inv.runningKernel(), inv.bootTime(), inv.packages(),
        inv.kernelPackageNames(), all, inv.needsRestarting(), inv.metadataAgeSeconds());
  }

  static {
    HostWork.class.getName(); // the step that applies the bound; named here so a rename finds this test
  }
}
