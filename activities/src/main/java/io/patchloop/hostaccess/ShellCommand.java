package io.patchloop.hostaccess;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A command line for a host's shell, built only from constant words and values that passed a
 * strict pattern, each value single-quoted. Package names, versions and advisory ids come from
 * hosts and repositories: nothing they printed reaches a shell unchecked.
 */
public final class ShellCommand {

  /** rpm package names: letters, digits and {@code ._+-}; no leading '-' (an option to dnf). */
  public static final Pattern PACKAGE_NAME = Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9._+-]{0,199}");
  /** name-[epoch:]version-release.arch, as dnf takes it. */
  public static final Pattern NEVRA =
      Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9._+-]{0,199}-([0-9]{1,10}:)?[A-Za-z0-9._+~^]{1,128}-[A-Za-z0-9._+~^]{1,128}\\.[A-Za-z0-9_]{1,32}");
  /** Advisory ids: RHSA-2024:1234, openEuler-SA-2024-1234, FEDORA-2024-1a2b3c4d5e. */
  public static final Pattern ADVISORY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}");
  /** An rpm version or release: what rpm itself allows there. */
  public static final Pattern VERSION_PART = Pattern.compile("[A-Za-z0-9._+~^]{1,128}");
  /** An rpm architecture (x86_64, noarch, aarch64, ...). */
  public static final Pattern ARCH = Pattern.compile("[A-Za-z0-9_]{1,32}");
  /** A nonce or token we generated ourselves. */
  public static final Pattern HEX = Pattern.compile("[0-9a-f]{8,64}");

  private final String line;

  private ShellCommand(String line) {
    this.line = line;
  }

  /** A fixed script or command line written in Patchloop's source; never pass host data here. */
  public static ShellCommand constant(String line) {
    return new ShellCommand(line);
  }

  /** Starts a command from constant words (the program and its fixed options). */
  public static Builder of(String... constantWords) {
    Builder b = new Builder();
    for (String w : constantWords) {
      b.words.add(w);
    }
    return b;
  }

  /** Builds a command by adding checked, quoted values after constant words. */
  public static final class Builder {
    private final List<String> words = new ArrayList<>();

    public Builder constant(String word) {
      words.add(word);
      return this;
    }

    /** Adds {@code value} quoted, after checking it against {@code pattern}; refuses anything else. */
    public Builder value(String value, Pattern pattern, String what) {
      if (value == null || !pattern.matcher(value).matches()) {
        throw new IllegalArgumentException(what + " '" + printable(value) + "' does not match " + pattern.pattern()
            + "; it is not passed to a shell");
      }
      words.add(quote(value));
      return this;
    }

    /** Adds {@code constantPrefix} glued to the checked, quoted value, as in {@code --exclude='kernel*'}. */
    public Builder option(String constantPrefix, String value, Pattern pattern, String what) {
      value(value, pattern, what);
      words.set(words.size() - 1, constantPrefix + words.get(words.size() - 1));
      return this;
    }

    public ShellCommand build() {
      return new ShellCommand(String.join(" ", words));
    }
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

  public String line() {
    return line;
  }

  @Override
  public String toString() {
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
