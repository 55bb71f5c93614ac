package io.patchloop.hostaccess;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A command line for a host's shell, built only from constant words and values that passed a
 * strict pattern, each value single-quoted. Package names, versions and advisory ids come from
 * hosts and repositories: nothing they printed reaches a shell unchecked. The patterns are the
 * domain's, in {@link io.patchloop.inventory.SafeValues}.
 */
public final class ShellCommand {

  private final String script;
  private final List<Argument> arguments;

  /** A checked value and the constant option prefix glued to it ("" for none). */
  private record Argument(String constantPrefix, String value) {}

  private ShellCommand(String script, List<Argument> arguments) {
    this.script = script;
    this.arguments = List.copyOf(arguments);
  }

  /** A fixed script or command line written in Patchloop's source; never pass host data here. */
  public static ShellCommand constant(String line) {
    return new ShellCommand(line, List.of());
  }

  /**
   * Starts a command from constant words (the program and its fixed options, or a fixed script
   * whose last command takes the values as its arguments).
   */
  public static Builder of(String... constantWords) {
    Builder b = new Builder();
    b.script.addAll(List.of(constantWords));
    return b;
  }

  /** Builds a command by adding checked values after the constant words; values always come last. */
  public static final class Builder {
    private final List<String> script = new ArrayList<>();
    private final List<Argument> arguments = new ArrayList<>();

    /** Adds {@code value} after checking it against {@code pattern}; refuses anything else. */
    public Builder value(String value, Pattern pattern, String what) {
      return option("", value, pattern, what);
    }

    /** Adds {@code constantPrefix} glued to the checked value, as in {@code --exclude='kernel*'}. */
    public Builder option(String constantPrefix, String value, Pattern pattern, String what) {
      if (value == null || !pattern.matcher(value).matches()) {
        throw new IllegalArgumentException(what + " '" + printable(value) + "' does not match " + pattern.pattern()
            + "; it is not passed to a shell");
      }
      arguments.add(new Argument(constantPrefix, value));
      return this;
    }

    public ShellCommand build() {
      return new ShellCommand(String.join(" ", script), arguments);
    }
  }

  /**
   * The command as one line for a remote shell (SSH): the constant script, then each value
   * single-quoted, so the shell takes it as one literal word.
   */
  public String line() {
    StringBuilder b = new StringBuilder(script);
    for (Argument a : arguments) {
      b.append(' ').append(a.constantPrefix()).append(quote(a.value()));
    }
    return b.toString();
  }

  /**
   * The command as an argument array for a local process (the agent): the constant script runs in
   * {@code sh -c} and the values reach its last command as positional parameters ({@code "$@"}),
   * so no shell ever parses them.
   */
  public List<String> argv() {
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c"));
    if (arguments.isEmpty()) {
      argv.add(script);
      return argv;
    }
    argv.add(script + " \"$@\"");
    argv.add("patchloop"); // $0
    arguments.forEach(a -> argv.add(a.constantPrefix() + a.value()));
    return argv;
  }

  /** POSIX single quotes: everything literal, a quote written as '\''. */
  public static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  private static String printable(String value) {
    if (value == null) {
      return "null";
    }
    String s = value.replaceAll("[^\\x20-\\x7e]", "?");
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  @Override
  public String toString() {
    String line = line();
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
