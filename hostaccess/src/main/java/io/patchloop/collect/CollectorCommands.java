package io.patchloop.collect;

import io.patchloop.hostaccess.ShellCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells which of the collector's commands ({@link CollectorScript}) a command line is, for a host
 * end that answers them without a shell (the simulated hosts of scale runs). A line is recognised
 * only when it is exactly what {@link CollectorScript} builds for the nonce, package manager,
 * repository ids or path read back from it, so a change to the scripts cannot be half-recognised.
 */
public final class CollectorCommands {

  /** Which command. */
  public enum Kind { PROBE, REFRESH, READ_UPDATE_INFO }

  /**
   * A recognised command.
   *
   * @param nonce the hex nonce of its section markers (probe and refresh); null for a read
   * @param packageManager the refresh's package manager; null otherwise
   * @param repoIds the repositories a refresh names (empty: all)
   * @param path the file a read asks for; null otherwise
   */
  public record Recognised(Kind kind, String nonce, String packageManager, List<String> repoIds, String path) {}

  private static final Pattern NONCE_LINE = Pattern.compile("\\AM='([0-9a-f]{1,64})'\n");
  private static final Pattern REPO_OPTION = Pattern.compile(" --repo='([^']*)'");
  private static final String SOME_CACHED_FILE = "/var/cache/dnf/x";
  private static final String READ_PREFIX;

  static {
    String read = CollectorScript.readUpdateInfo(SOME_CACHED_FILE).line();
    READ_PREFIX = read.substring(0, read.length() - ShellCommand.quote(SOME_CACHED_FILE).length());
  }

  private CollectorCommands() {}

  /** The marker line that opens a section of a framed answer, as the scripts' {@code s} function prints it. */
  public static String marker(String nonce, String section) {
    return "\n" + CollectorScript.MARKER_PREFIX + nonce + " " + section + "@@\n";
  }

  /** The collector command this is, or empty when it is none of them. */
  public static Optional<Recognised> recognise(ShellCommand command) {
    String line = command.line();
    Matcher nonceLine = NONCE_LINE.matcher(line);
    if (nonceLine.find()) {
      String nonce = nonceLine.group(1);
      if (line.equals(CollectorScript.probe(nonce).line())) {
        return Optional.of(new Recognised(Kind.PROBE, nonce, null, List.of(), null));
      }
      for (String pm : List.of("dnf", "dnf5", "yum")) {
        String script = CollectorScript.refresh(nonce, pm, List.of()).line();
        if (line.startsWith(script)) {
          String rest = line.substring(script.length());
          List<String> ids = new ArrayList<>();
          Matcher m = REPO_OPTION.matcher(rest);
          while (m.find()) {
            ids.add(m.group(1));
          }
          if (line.equals(CollectorScript.refresh(nonce, pm, ids).line())) {
            return Optional.of(new Recognised(Kind.REFRESH, nonce, pm, List.copyOf(ids), null));
          }
        }
      }
      return Optional.empty();
    }
    if (line.startsWith(READ_PREFIX) && line.endsWith("'")) {
      String path = line.substring(READ_PREFIX.length() + 1, line.length() - 1);
      if (CollectorScript.CACHED_FILE.matcher(path).matches() && line.equals(CollectorScript.readUpdateInfo(path).line())) {
        return Optional.of(new Recognised(Kind.READ_UPDATE_INFO, null, null, List.of(), path));
      }
    }
    return Optional.empty();
  }
}
