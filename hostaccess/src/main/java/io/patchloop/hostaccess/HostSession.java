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

  @Override
  void close();
}
