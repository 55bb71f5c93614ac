package io.patchloop.simulation;

import io.patchloop.collect.CollectorCommands;
import io.patchloop.hostaccess.CommandResult;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.ShellCommand;
import io.patchloop.hostaccess.StdoutReader;
import io.patchloop.hostaccess.StreamedResult;
import io.patchloop.workflows.host.HostErrorKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A session on one simulated host: recognises the collector's commands by their whole command
 * line ({@link CollectorCommands}), takes the nonce from it and answers as the host would print it,
 * after the configured latency. Any other command (an install, a reboot) fails COMMAND_FAILED.
 */
final class SimulatedHostSession implements HostSession {

  /** The host is generated when the first command asks for it, not when the session opens. */
  private final Supplier<SimulatedHost> generate;
  private SimulatedHost host;
  private final Duration latency;
  private final Consumer<CollectorCommands.Kind> onAnswer;

  SimulatedHostSession(Supplier<SimulatedHost> host, Duration latency, Consumer<CollectorCommands.Kind> onAnswer) {
    this.generate = host;
    this.latency = latency;
    this.onAnswer = onAnswer;
  }

  @Override
  public CommandResult run(ShellCommand command, Duration timeout) {
    StreamedResult<String> r = stream(command, timeout, in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
    return new CommandResult(r.exitStatus(), r.value(), r.stderr(), r.truncated());
  }

  @Override
  public <T> StreamedResult<T> stream(ShellCommand command, Duration timeout, StdoutReader<T> reader) {
    if (host == null) {
      host = generate.get();
    }
    CollectorCommands.Recognised asked = CollectorCommands.recognise(command).orElseThrow(() -> new HostAccessException(
        HostErrorKind.COMMAND_FAILED, host.address() + ": simulated hosts only support scans, not: " + command));
    long now = System.currentTimeMillis() / 1000;
    int exitStatus = 0;
    String stderr = "";
    byte[] stdout;
    switch (asked.kind()) {
      case PROBE -> stdout = host.probe(asked.nonce(), now).getBytes(StandardCharsets.UTF_8);
      case REFRESH -> stdout = host.refresh(asked.nonce(), now).getBytes(StandardCharsets.UTF_8);
      case READ_UPDATE_INFO -> {
        if (asked.path().equals(host.fleet().updateInfoPath())) {
          stdout = host.fleet().updateInfoXml();
        } else {
          stdout = new byte[0];
          exitStatus = 1;
          stderr = "gzip: " + asked.path() + ": No such file or directory";
        }
      }
      default -> throw new IllegalStateException("unknown collector command " + asked.kind());
    }
    waitLatency(command, timeout);
    onAnswer.accept(asked.kind());
    try (InputStream in = new ByteArrayInputStream(stdout)) {
      return new StreamedResult<>(exitStatus, reader.read(in), stderr, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from an array
    }
  }

  /** The command's simulated run time; as over SSH, longer than its timeout is a TIMEOUT, and an interrupt abandons it. */
  private void waitLatency(ShellCommand command, Duration timeout) {
    if (latency.isZero()) {
      return;
    }
    try {
      Thread.sleep(Math.min(latency.toMillis(), timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostAccessException(HostErrorKind.TIMEOUT, host.address() + ": abandoned: " + command, e);
    }
    if (latency.compareTo(timeout) > 0) {
      throw new HostAccessException(HostErrorKind.TIMEOUT, host.address() + ": command did not finish within "
          + timeout.toSeconds() + " s (simulated latency " + latency + "): " + command);
    }
  }

  @Override
  public void close() {
    // nothing was opened
  }
}
