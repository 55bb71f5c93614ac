package io.patchloop.collect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The configuration files of src/test/resources/repoconfig, as hosts would send them. */
final class RepoConfigFixtures {

  private RepoConfigFixtures() {}

  static String text(String relative) {
    try (InputStream in = RepoConfigFixtures.class.getResourceAsStream("/repoconfig/" + relative)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + relative);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fixture as the host file {@code hostPath}, modified at {@code mtime}. */
  static HostConfigFile file(String hostPath, long mtime, String fixture) {
    return new HostConfigFile(hostPath, mtime, text(fixture));
  }
}
