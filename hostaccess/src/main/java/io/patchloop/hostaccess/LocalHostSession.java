package io.patchloop.hostaccess;

import io.patchloop.hostaccess.OutputCapture.Captured;
import io.patchloop.hostaccess.OutputCapture.Streamed;
import io.patchloop.workflows.host.HostErrorKind;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs commands on the machine this process runs on: the agent's way to its own host. Each command
 * is a process started from an argument array ({@link ShellCommand#argv()}): the values a command
 * carries are arguments, never parsed by a shell. Same output cap and timeouts as over SSH.
 */
public final class LocalHostSession implements HostSession {

  /** What a service manager may leave out of PATH, and where dnf, rpm and reboot live. */
  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final int maxOutputBytes;

  public LocalHostSession(int maxOutputBytes) {
    this.maxOutputBytes = maxOutputBytes;
  }

  @Override
  public CommandResult run(ShellCommand command, Duration timeout) {
    Finished<Captured> done = execute(command, timeout, stdout -> OutputCapture.start(stdout, maxOutputBytes));
    return new CommandResult(done.exitStatus(), done.stdout().text(), done.stderr(), done.stdout().truncated());
  }

  @Override
  public <T> StreamedResult<T> stream(ShellCommand command, Duration timeout, StdoutReader<T> reader) {
    Finished<Streamed<T>> done = execute(command, timeout, stdout -> OutputCapture.stream(stdout, maxOutputBytes, reader));
    return new StreamedResult<>(done.exitStatus(), done.stdout().value(), done.stderr(), done.stdout().truncated());
  }

  private record Finished<O>(int exitStatus, O stdout, String stderr) {}

  /** Starts the command, reads its stdout the given way and its stderr capped, and waits for it to end. */
  private <O> Finished<O> execute(ShellCommand command, Duration timeout,
      Function<InputStream, CompletableFuture<O>> stdoutReader) {
    ProcessBuilder builder = new ProcessBuilder(command.argv())
        .directory(new File("/"))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("PATH", PATH);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new HostAccessException(HostErrorKind.COMMAND_FAILED, "cannot start /bin/sh on this host: " + e.getMessage(), e);
    }
    CompletableFuture<O> out = stdoutReader.apply(process.getInputStream());
    CompletableFuture<Captured> err = OutputCapture.start(process.getErrorStream(), OutputCapture.STDERR_CAP);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      O stdout = out.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      Captured stderr = err.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (!process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new TimeoutException();
      }
      return new Finished<>(process.exitValue(), stdout, stderr.text());
    } catch (TimeoutException e) {
      kill(process);
      throw new HostAccessException(HostErrorKind.TIMEOUT,
          "command did not finish within " + timeout.toSeconds() + " s: " + command, e);
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw new HostAccessException(HostErrorKind.TIMEOUT, "interrupted: " + command, e);
    } catch (ExecutionException e) {
      kill(process);
      RuntimeException fromReader = OutputCapture.readerFailure(e.getCause());
      if (fromReader != null) {
        throw fromReader;
      }
      throw new HostAccessException(HostErrorKind.COMMAND_FAILED, "reading the output failed: " + e.getCause(), e);
    }
  }

  /** The whole tree: dnf started by the script must not outlive a timed-out step. */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  @Override
  public void close() {
    // nothing held between commands
  }
}
