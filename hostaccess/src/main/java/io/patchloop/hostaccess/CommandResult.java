package io.patchloop.hostaccess;

/** What one command on a host gave back; {@code truncated} when stdout hit the size cap. */
public record CommandResult(int exitStatus, String stdout, String stderr, boolean truncated) {

  /** The last lines of stderr (or stdout), short enough to record and show to a person. */
  public String errorExcerpt() {
    String text = stderr.isBlank() ? stdout : stderr;
    String[] lines = text.strip().split("\n");
    int from = Math.max(0, lines.length - 8);
    String excerpt = String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    return excerpt.length() > 2000 ? excerpt.substring(excerpt.length() - 2000) : excerpt;
  }
}
