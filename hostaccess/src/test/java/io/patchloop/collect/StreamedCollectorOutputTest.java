package io.patchloop.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.advisories.InMemoryAdvisoryCatalog;
import io.patchloop.compliance.EngineInventory;
import io.patchloop.hoststeps.HostWork;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.host.ActivityPayloads;
import io.patchloop.workflows.scan.MetadataRefresh;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * The collector's output read as a stream: the framed outputs the same as read whole, whatever
 * size the pieces come in, and without an end when cut anywhere; an updateinfo file parsed as it
 * streams; of the advisories only the entries of installed packages kept; the bytes received
 * counted; and the inventory of a large host small enough to hand on. Heap and speed of parsing a
 * large updateinfo file are measured by {@link CollectorMemoryBenchmark}.
 */
class StreamedCollectorOutputTest {

  static final String NONCE = CapturedCommandLinesTest.NONCE;
  static final int LARGE_INSTALLED = 1_500;
  static final int LARGE_APPLICABLE = 600;
  static final String LARGE_UPDATEINFO = SyntheticHost.updateInfo(7_000_000, LARGE_INSTALLED, LARGE_APPLICABLE);
  static final String LARGE_PROBE = SyntheticHost.probe(LARGE_INSTALLED, LARGE_UPDATEINFO);

  /** Every framed output captured, and the large host's probe. */
  static List<String> framedOutputs() {
    List<String> all = new ArrayList<>();
    CapturedHost.MANIFEST_STATES.forEach(dir -> all.add(CapturedHost.of(dir).probe()));
    all.add(Fixtures.read(RpmCollectorParseTest.bulkDir() + "/probe.txt"));
    all.add(CapturedHost.capturedRefresh());
    all.add(LARGE_PROBE);
    return all;
  }

  /** Hands the bytes on 1 to 700 at a time, as a network would. */
  static InputStream inPieces(String text, long seed) {
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
    for (String text : framedOutputs()) {
      CollectorOutput whole = CollectorOutput.split(text, NONCE);
      assertThat(whole.sections()).containsKeys("end", "cache-listing");
      for (long seed = 1; seed <= 3; seed++) {
        assertThat(CollectorOutput.read(inPieces(text, seed), NONCE)).isEqualTo(whole);
      }
    }
    for (String xml : List.of(Fixtures.read("quirks/updateinfo.xml"), LARGE_UPDATEINFO)) {
      var whole = UpdateInfoParser.parse(xml, "whole");
      var pieces = UpdateInfoParser.parse(inPieces(xml, 7), "pieces", p -> true);
      assertThat(pieces.advisories()).isNotEmpty().isEqualTo(whole.advisories());
    }
  }

  @Test
  void aStreamCutAnywhereHasNoEnd() throws IOException {
    String probe = CapturedHost.refreshed().probe();
    int endMarker = probe.lastIndexOf(CollectorScript.MARKER_PREFIX);
    for (String text : List.of(probe, LARGE_PROBE)) {
      for (int cut : new int[] {0, 10, text.length() / 3, text.indexOf(" rpm@@") + 3, text.length() - 30}) {
        CollectorOutput out = CollectorOutput.read(inPieces(text.substring(0, cut), cut), NONCE);
        assertThat(out.ended()).as("cut at %d", cut).isFalse();
      }
    }
    for (int cut = endMarker; cut < probe.length() - 1; cut++) {
      // within the end marker's line: "...end@" and the like are no marker
      assertThat(CollectorOutput.read(inPieces(probe.substring(0, cut), cut), NONCE).ended()).as("cut at %d", cut).isFalse();
    }
  }

  @Test
  void keepsOfEachAdvisoryTheEntriesOfInstalledPackagesAsTheWholeFileSays() {
    CapturedHost host = CapturedHost.of("quirks/missing-some");
    HostInventory inv = CapturedHost.collector().collect(host.session(), MetadataRefresh.NEVER);
    Set<String> installed = inv.packages().stream().map(p -> p.name() + "." + p.arch()).collect(Collectors.toSet());
    Map<String, Advisory> expected = new LinkedHashMap<>();
    for (Advisory a : UpdateInfoParser.parse(host.updateInfoXml(), "quirks").advisories()) {
      var entries = a.packages().stream().filter(p -> installed.contains(p.name() + "." + p.arch())).toList();
      if (!entries.isEmpty()) {
        expected.put(a.id(), new Advisory(a.id(), a.title(), a.type(), a.category(), a.severity(), a.issued(), entries,
            a.cves(), a.rebootSuggested()));
      }
    }
    assertThat(inv.advisories()).isNotEmpty().containsExactlyInAnyOrderElementsOf(expected.values());
  }

  @Test
  void countsEveryByteTheHostSent() {
    CollectorTraffic traffic = new CollectorTraffic();
    CapturedHost host = CapturedHost.refreshed();
    new RpmCollector(traffic, new InMemoryAdvisoryCatalog(4)).collect(host.session(), MetadataRefresh.AUTO);
    assertThat(traffic.bytesReceived()).isEqualTo(host.probe().getBytes(StandardCharsets.UTF_8).length
        + host.updateInfoXml().getBytes(StandardCharsets.UTF_8).length);
    assertThat(traffic.collections()).isEqualTo(1);
  }

  /** 1,500 installed packages, 600 applicable advisories of 10 entries each, in a 7 MB updateinfo: what a host step hands on. */
  @Test
  void aLargeHostsInventoryFitsAnActivityPayload() {
    String path = CapturedHost.refreshed().updateInfoPath();
    HostInventory inv = CapturedHost.collector().collect(
        new ReplayedHostSession().probe(LARGE_PROBE).updateInfo(path, LARGE_UPDATEINFO), MetadataRefresh.NEVER);
    HostInventory cut = EngineInventory.compact(inv);
    int now = ActivityPayloads.sizeOf(cut);
    System.out.printf("large host: %d installed, %d applicable advisories (%d entries kept) from a %,d byte"
        + " updateinfo; inventory cut to what the engine reads, gzipped: %,d bytes%n", inv.packages().size(),
        inv.advisories().size(), inv.advisories().stream().mapToInt(a -> a.packages().size()).sum(),
        LARGE_UPDATEINFO.length(), now);
    assertThat(inv.advisories()).hasSize(LARGE_APPLICABLE)
        .allSatisfy(a -> assertThat(a.packages()).as("only the installed packages' entries").hasSize(4));
    assertThat(now).isLessThan(ActivityPayloads.MAX_BYTES);
  }

  static {
    HostWork.class.getName(); // the step that applies the bound; named here so a rename finds this test
  }
}
