package io.patchloop.collect;

import io.patchloop.advisories.UpdateInfoFile;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.StreamedResult;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.workflows.host.HostErrorKind;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads one updateinfo file from a host's cache, streamed into the parser: on the workers all of it,
 * for every host of the fleet, and only when no host sent a file with that checksum before. The checksum is computed here over the
 * bytes parsed and must equal the one the host's {@code repomd.xml} gives; a host cannot put
 * advisories under a checksum other hosts will be trusted with.
 */
final class UpdateInfoFetch {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final Map<String, String> ALGORITHMS = Map.of("sha", "SHA-1", "sha1", "SHA-1", "sha224", "SHA-224",
      "sha256", "SHA-256", "sha384", "SHA-384", "sha512", "SHA-512");

  /** What came of a fetch: the parsed file, or why it cannot be used; and the bytes the host sent. */
  record Fetched(UpdateInfoFile file, String unusable, long bytes) {}

  /** What the reader made of stdout: the parsed file, or why it is not one. */
  private record Read(UpdateInfoParser.Result parsed, String parseError) {}

  private UpdateInfoFetch() {}

  /**
   * @param path the file's absolute path in the host's cache
   * @param expected {@code <type>:<hex>} of the uncompressed content (the catalog key)
   * @param label how messages name it ("repository lab-demo")
   * @param keep which package entries to keep (an advisory left with none is dropped)
   */
  static Fetched fetch(HostSession session, String path, String expected, String label, Predicate<AdvisoryPackage> keep) {
    String type = expected.substring(0, expected.indexOf(':'));
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance(ALGORITHMS.get(type));
    } catch (NoSuchAlgorithmException | NullPointerException e) {
      return new Fetched(null, label + ": checksum type " + type + " is not supported", 0);
    }
    long[] bytes = new long[1];
    // a parse failure is kept, not thrown, so that a decompressor's own failure (exit status, stderr)
    // is what the message says when there is one: zcat failing shows up as XML that is not well-formed
    StreamedResult<Read> result = session.stream(CollectorScript.readUpdateInfo(path), TIMEOUT, stdout -> {
      CountingInputStream counted = new CountingInputStream(stdout);
      try (InputStream in = new DigestInputStream(counted, digest)) {
        UpdateInfoParser.Result parsed = UpdateInfoParser.parse(in, label, keep);
        in.transferTo(OutputStream.nullOutputStream()); // what follows the document counts for the checksum too
        return new Read(parsed, null);
      } catch (HostAccessException e) {
        if (e.kind() != HostErrorKind.OUTPUT_UNPARSEABLE) {
          throw e;
        }
        return new Read(null, e.getMessage());
      } finally {
        bytes[0] = counted.count();
      }
    });
    if (result.truncated()) {
      return new Fetched(null, label + ": its updateinfo is larger than the output cap", bytes[0]);
    }
    if (result.exitStatus() != 0) {
      return new Fetched(null, label + ": its updateinfo cannot be read (exit status " + result.exitStatus() + ": "
          + result.errorExcerpt() + ")", bytes[0]);
    }
    if (result.value().parseError() != null) {
      return new Fetched(null, label + ": its updateinfo cannot be read (" + result.value().parseError() + ")", bytes[0]);
    }
    String actual = type + ":" + HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(expected)) {
      return new Fetched(null, label + ": its cached updateinfo does not match the checksum in repomd.xml (" + expected
          + ", the file gives " + actual + "); run dnf clean metadata on the host", bytes[0]);
    }
    UpdateInfoParser.Result parsed = result.value().parsed();
    return new Fetched(new UpdateInfoFile(parsed.advisories(), parsed.dropped()), null, bytes[0]);
  }
}
