package io.patchloop.hostaccess;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads a running command's stdout or stderr to the end, keeping at most a cap. Both streams are
 * read at once on their own threads, or a chatty command would block on a full pipe or window.
 */
final class OutputCapture {

  /** Not the common pool, which has one thread on a 2-core machine. */
  private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "host-output-reader");
    t.setDaemon(true);
    return t;
  });

  /** Everything up to the cap; {@code truncated} when the command printed more (it was read and dropped). */
  record Captured(String text, boolean truncated) {}

  static final int STDERR_CAP = 1 << 20;

  private OutputCapture() {}

  static CompletableFuture<Captured> start(InputStream in, int max) {
    return CompletableFuture.supplyAsync(() -> capture(in, max), READERS);
  }

  private static Captured capture(InputStream in, int max) {
    try (in) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      byte[] chunk = new byte[64 * 1024];
      boolean truncated = false;
      for (int n; (n = in.read(chunk)) >= 0; ) {
        int room = max - buffer.size();
        if (room > 0) {
          buffer.write(chunk, 0, Math.min(n, room));
        }
        if (n > room) {
          truncated = true; // keep reading so the command can finish
        }
      }
      return new Captured(buffer.toString(StandardCharsets.UTF_8), truncated);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
