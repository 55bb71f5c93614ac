package io.patchloop.hostaccess;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a command's stdout as it arrives ({@link HostSession#stream}), so output of any size is
 * looked at once and never held whole.
 */
@FunctionalInterface
public interface StdoutReader<T> {

  /**
   * @param stdout the command's stdout, ending at its end or at the session's output cap; the reader
   *     need not read it to the end, the session reads and drops what is left
   */
  T read(InputStream stdout) throws IOException;
}
