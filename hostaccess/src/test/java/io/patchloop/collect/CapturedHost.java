package io.patchloop.collect;

import io.patchloop.advisories.InMemoryAdvisoryCatalog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One lab host as {@code capture-fixtures} captured it: the probe's output ({@code probe.txt}) and
 * its profile's updateinfo file, which its cache holds compressed and the host would send
 * decompressed. Everything here is read from the fixtures, not assumed: the repository's cache
 * directory and updateinfo path come from the probe's cache listing.
 *
 * @param dir the fixture directory, {@code <profile>/<state>[/after-reboot]}
 */
record CapturedHost(String dir, String probe) {

  /** Every captured state of the profiles whose manifest is in the fixtures. */
  static final List<String> MANIFEST_STATES = List.of("demo/missing-some", "demo/patched", "demo/pending-reboot",
      "demo/pending-reboot/after-reboot", "quirks/missing-some", "quirks/missing-all");

  static CapturedHost of(String dir) {
    return new CapturedHost(dir, Fixtures.read(dir + "/probe.txt"));
  }

  /** The demo host whose refresh was captured too ({@code refresh.txt}). */
  static CapturedHost refreshed() {
    return of("demo/missing-some");
  }

  String profile() {
    return dir.substring(0, dir.indexOf('/'));
  }

  String repoId() {
    return "lab-" + profile();
  }

  String updateInfoXml() {
    return Fixtures.read(profile() + "/updateinfo.xml");
  }

  /** The cached updateinfo file's path, as the cache listing names it. */
  String updateInfoPath() {
    return listedPath(probe, "-updateinfo.xml.gz");
  }

  /** The repository's cache directory ({@code <cachedir>/<id>-<hash>}), as the cache listing names it. */
  String cacheDir() {
    String path = updateInfoPath();
    return path.substring(0, path.indexOf("/repodata/"));
  }

  /** The host's clock when the probe ran ({@code date +%s}, the first line of the boot section). */
  long hostNow() {
    return Long.parseLong(FramedText.body(probe, "boot").lines().findFirst().orElseThrow().strip());
  }

  /** A session that answers the probe as captured and the read of the updateinfo file with its content. */
  ReplayedHostSession session() {
    return new ReplayedHostSession().probe(probe).updateInfo(updateInfoPath(), updateInfoXml());
  }

  /** The refresh captured on {@link #refreshed()}, for any host of the demo profile. */
  static String capturedRefresh() {
    return Fixtures.read("demo/missing-some/refresh.txt");
  }

  static RpmCollector collector() {
    return new RpmCollector(new CollectorTraffic(), new InMemoryAdvisoryCatalog(16));
  }

  /** The path of the file in the output's cache listing whose name ends so. */
  static String listedPath(String framed, String nameEnd) {
    return FramedText.body(framed, "cache-listing").lines().map(l -> l.substring(l.lastIndexOf('|') + 1))
        .filter(p -> p.endsWith(nameEnd)).findFirst()
        .orElseThrow(() -> new AssertionError("no *" + nameEnd + " in the cache listing"));
  }

  /** The mtime the cache listing gives the file whose name ends so. */
  static long listedMtime(String framed, String nameEnd) {
    return FramedText.body(framed, "cache-listing").lines().filter(l -> l.endsWith(nameEnd)).findFirst()
        .map(l -> Long.parseLong(l.substring(0, l.indexOf('|'))))
        .orElseThrow(() -> new AssertionError("no *" + nameEnd + " in the cache listing"));
  }

  static String sha256(String text) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
