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

  /** What a {@link StdoutReader} made of stdout; null with {@code truncated} when stdout was over the cap. */
  record Streamed<T>(T value, boolean truncated) {}

  static CompletableFuture<Captured> start(InputStream in, int max) {
    return CompletableFuture.supplyAsync(() -> capture(in, max), READERS);
  }

  /** Hands stdout to {@code reader} as it arrives, on a reader thread like {@link #start}; nothing is kept here. */
  static <T> CompletableFuture<Streamed<T>> stream(InputStream in, int max, StdoutReader<T> reader) {
    return CompletableFuture.supplyAsync(() -> read(in, max, reader), READERS);
  }

  private static <T> Streamed<T> read(InputStream in, int max, StdoutReader<T> reader) {
    try (in) {
      CappedInputStream capped = new CappedInputStream(in, max);
      T value = null;
      RuntimeException failed = null;
      try {
        value = reader.read(capped);
      } catch (RuntimeException e) {
        failed = e;
      }
      capped.drain(); // the command finishes either way, and only then do we know whether it went past the cap
      if (capped.truncated()) {
        return new Streamed<>(null, true); // what the reader made of a cut stream, value or error, says nothing
      }
      if (failed != null) {
        throw failed;
      }
      return new Streamed<>(value, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What a stdout reader threw, to be rethrown as it is (a host error, or a bug of ours that must end
   * the step as INTERNAL); null when reading itself failed, which the session reports in its own terms.
   */
  static RuntimeException readerFailure(Throwable cause) {
    return cause instanceof RuntimeException e && !(e instanceof UncheckedIOException) ? e : null;
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
