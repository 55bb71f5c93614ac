package io.patchloop.hostaccess;

import java.time.Duration;

/** An open connection to one host, reused for all the commands of one step, then closed. */
public interface HostSession extends AutoCloseable {

  /**
   * Runs a command line built by {@link ShellCommand} (constants and validated, quoted values only).
   *
   * @throws HostAccessException TIMEOUT when it runs longer than {@code timeout}, UNREACHABLE when the connection drops
   */
  CommandResult run(ShellCommand command, Duration timeout);

  /**
   * Runs a command like {@link #run}, but hands its stdout to {@code reader} as it arrives instead
   * of keeping it: for output too large to hold (the collector's). The output cap still applies: it
   * is counted, not held; past it the reader's stream ends and the result is {@code truncated}.
   *
   * @throws HostAccessException as {@link #run} does, or as the reader threw it
   */
  <T> StreamedResult<T> stream(ShellCommand command, Duration timeout, StdoutReader<T> reader);

  @Override
  void close();
}
