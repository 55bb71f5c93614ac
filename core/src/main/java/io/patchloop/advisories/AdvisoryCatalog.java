package io.patchloop.advisories;

import java.util.Optional;

/**
 * Parsed updateinfo files by the checksum a repository's {@code repomd.xml} gives them, shared by
 * every scan: hosts on the same repositories send each file once per fleet, not once per scan.
 *
 * <p>The key is the checksum of the uncompressed file ({@code open-checksum}, else {@code checksum}),
 * written {@code <type>:<hex>} (e.g. {@code sha256:d848cc...}). A caller stores a file only under the
 * checksum it computed itself over the bytes it parsed, so no host can put advisories under a
 * checksum that other hosts will trust.
 */
public interface AdvisoryCatalog {

  /** The file with this checksum, if any host sent it before. */
  Optional<UpdateInfoFile> find(String checksum);

  /**
   * Keeps a parsed file. Two workers may store the same checksum at once: the file is the same, the
   * second store is a no-op.
   *
   * @param source where it first came from, for people ("repository lab-demo of host 12")
   */
  void save(String checksum, String source, UpdateInfoFile file);
}
