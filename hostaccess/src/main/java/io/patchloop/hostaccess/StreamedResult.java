package io.patchloop.hostaccess;

/**
 * What a streamed command gave back: its exit status, what the {@link StdoutReader} made of stdout,
 * and stderr. {@code truncated} when stdout was larger than the output cap: then {@code value} is
 * null, since whatever the reader made of a cut stream is not to be trusted.
 */
public record StreamedResult<T>(int exitStatus, T value, String stderr, boolean truncated) {

  /** The last lines of stderr, short enough to record and show to a person. */
  public String errorExcerpt() {
    return new CommandResult(exitStatus, "", stderr, truncated).errorExcerpt();
  }
}
