package io.patchloop.hostaccess;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command run over SSH as a process group of its own on the host, so that a command Patchloop
 * stops waiting for (its timeout passed, the activity was cancelled) can be stopped with all it
 * started: closing the SSH channel does not end a command without a terminal, and dnf would go
 * on holding the rpm lock.
 *
 * <p>sshd starts each command in a new session (setsid), so the shell's pid is the group's id;
 * the wrapper announces it as the first line of stderr, then runs the command under the host's
 * {@code timeout}, which ends the whole group a little after Patchloop's own deadline even when
 * the connection is gone (the worker died).
 */
final class RemoteProcessGroup {

  /** How much longer than Patchloop's deadline the host's own timeout waits, and then how long before KILL. */
  static final Duration HOST_GRACE = Duration.ofSeconds(15);
  static final Duration KILL_AFTER = Duration.ofSeconds(15);

  private static final String ANNOUNCEMENT = "@@patchloop-process-group ";
  private static final Pattern ANNOUNCED = Pattern.compile(Pattern.quote(ANNOUNCEMENT) + "([1-9][0-9]{0,9})\n");

  private final CompletableFuture<Long> groupId = new CompletableFuture<>();
  private final InputStream stderr;

  RemoteProcessGroup(InputStream rawStderr) {
    this.stderr = new AnnouncementReader(rawStderr);
  }

  /**
   * The remote command line: announce the group, then the command under {@code timeout}, in the
   * same login shell that ran it before there was a wrapper. The command's own line goes in
   * single-quoted, so its quoting is unchanged.
   */
  static String wrap(ShellCommand command, Duration timeout) {
    long seconds = timeout.plus(HOST_GRACE).toSeconds();
    return "echo \"" + ANNOUNCEMENT + "$$\" >&2; exec timeout -k " + KILL_AFTER.toSeconds() + " " + seconds
        + " \"${SHELL:-/bin/sh}\" -c " + ShellCommand.quote(command.line());
  }

  /** The command's stderr without the announcement. */
  InputStream stderr() {
    return stderr;
  }

  /** TERM to the whole group now, KILL to what is left a few seconds later; empty when the group never announced itself. */
  Optional<ShellCommand> killCommand() {
    Long id = groupId.getNow(null);
    if (id == null) {
      return Optional.empty();
    }
    return Optional.of(ShellCommand.constant("kill -TERM -- -" + id + " 2>/dev/null;"
        + " ( sleep 5; kill -KILL -- -" + id + " 2>/dev/null ) </dev/null >/dev/null 2>&1 &"));
  }

  /** Reads the first line of stderr: when it is the announcement, keeps the id and drops the line. */
  private final class AnnouncementReader extends InputStream {
    private final PushbackInputStream in;
    private boolean checked;

    AnnouncementReader(InputStream in) {
      this.in = new PushbackInputStream(in, 64);
    }

    @Override
    public int read() throws IOException {
      checkFirstLine();
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      checkFirstLine();
      return in.read(b, off, len);
    }

    private void checkFirstLine() throws IOException {
      if (checked) {
        return;
      }
      checked = true;
      byte[] line = new byte[64];
      int n = 0;
      for (int c; n < line.length && (c = in.read()) >= 0; ) {
        line[n++] = (byte) c;
        if (c == '\n') {
          break;
        }
      }
      Matcher m = ANNOUNCED.matcher(new String(line, 0, n, StandardCharsets.US_ASCII));
      if (m.matches()) {
        groupId.complete(Long.parseLong(m.group(1)));
      } else {
        in.unread(line, 0, n); // not ours (a shell that printed first): leave stderr whole
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
