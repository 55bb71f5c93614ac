package io.patchloop.apiclient;

import io.patchloop.standalone.StandaloneApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The standalone platform on its embedded defaults, with a data dir of its own under {@code parent} and free ports. */
final class EmbeddedPlatform {

  private EmbeddedPlatform() {}

  static StandaloneApplication.Running start(Path parent, String... extraArgs) throws IOException {
    Path dataDir = Files.createTempDirectory(parent.toAbsolutePath(), "platform-data-");
    List<String> args = new ArrayList<>(List.of("--patchloop.data-dir=" + dataDir, "--server.port=0",
        "--patchloop.standalone.db-port=" + freePort(), "--patchloop.standalone.temporal-port=" + freePort()));
    args.addAll(List.of(extraArgs));
    return StandaloneApplication.start(args.toArray(String[]::new));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
