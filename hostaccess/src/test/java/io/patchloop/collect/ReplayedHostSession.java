package io.patchloop.collect;

import io.patchloop.hostaccess.CommandResult;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.ShellCommand;
import io.patchloop.hostaccess.StdoutReader;
import io.patchloop.hostaccess.StreamedResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host session that replays output captured from real lab hosts ({@code infra/testhosts/fixtures},
 * written by {@code capture-fixtures}) instead of running anything: these are parser tests of the
 * collector, and a replay lets them cut, garble and forge a real host's answer; the collector on
 * real hosts is covered by the lab test ({@code FastCollectorLabTest} in the activities module).
 *
 * <p>It answers exactly the three commands of {@link CollectorScript}, recognised by their whole
 * command line: the probe, the refresh (its repository ids are read back from the line) and the
 * read of an updateinfo file at a path it was given a reply for. Framed output was captured with the
 * nonce {@link CapturedCommandLinesTest#NONCE}; each reply has it replaced by the nonce of the
 * command asked for, as a host running that command would print it. Any other command fails the
 * test. Every command asked for is recorded, in order.
 */
final class ReplayedHostSession implements HostSession {

  /** What the session answers to one command: stdout, exit status, stderr, whether the output cap cut it. */
  record Reply(byte[] stdout, int exitStatus, String stderr, boolean truncated) {

    static Reply of(String stdout) {
      return new Reply(stdout.getBytes(StandardCharsets.UTF_8), 0, "", false);
    }

    static Reply failed(int exitStatus, String stderr) {
      return new Reply(new byte[0], exitStatus, stderr, false);
    }
  }

  /** A command the collector asked for: which one, and for a refresh the repository ids, for a read the path. */
  record Asked(String kind, List<String> repoIds, String path) {

    static final String PROBE = "probe";
    static final String REFRESH = "refresh";
    static final String READ_UPDATE_INFO = "readUpdateInfo";
  }

  private static final Pattern NONCE_LINE = Pattern.compile("\\AM='([0-9a-f]{1,64})'\n");
  private static final String SOME_CACHED_FILE = "/var/cache/dnf/x";
  private static final Pattern REPO_OPTION = Pattern.compile(" --repo='([^']*)'");

  private Reply probe;
  private Reply refresh;
  private final Map<String, Reply> updateInfo = new LinkedHashMap<>();
  private final List<Asked> asked = new ArrayList<>();
  private boolean otherFilesMissing;

  /** Answers the probe with this captured (or hand-made) framed output. */
  ReplayedHostSession probe(String framed) {
    return probe(Reply.of(framed));
  }

  ReplayedHostSession probe(Reply reply) {
    this.probe = reply;
    return this;
  }

  /** Answers a refresh (of any repositories) with this framed output; without one, a refresh fails the test. */
  ReplayedHostSession refresh(String framed) {
    this.refresh = Reply.of(framed);
    return this;
  }

  /** Answers the read of the updateinfo file at {@code path} with this (decompressed) content. */
  ReplayedHostSession updateInfo(String path, String content) {
    return updateInfo(path, Reply.of(content));
  }

  ReplayedHostSession updateInfo(String path, Reply reply) {
    updateInfo.put(path, reply);
    return this;
  }

  /**
   * Answers the read of any other cached file as a host without it would: nothing on stdout, exit
   * status 1 and the decompressor's complaint (for fuzzing, where a garbled cache names any path).
   */
  ReplayedHostSession otherFilesMissing() {
    this.otherFilesMissing = true;
    return this;
  }

  /** Every command asked for, in order. */
  List<Asked> asked() {
    return List.copyOf(asked);
  }

  List<Asked> asked(String kind) {
    return asked.stream().filter(a -> a.kind().equals(kind)).toList();
  }

  @Override
  public CommandResult run(ShellCommand command, Duration timeout) {
    StreamedResult<String> r = stream(command, timeout, in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
    return new CommandResult(r.exitStatus(), r.value() == null ? "" : r.value(), r.stderr(), r.truncated());
  }

  @Override
  public <T> StreamedResult<T> stream(ShellCommand command, Duration timeout, StdoutReader<T> reader) {
    Reply reply = replyTo(command.line());
    try (InputStream stdout = new ByteArrayInputStream(reply.stdout())) {
      T value = reader.read(stdout);
      // as the real sessions do: what a reader made of output cut at the cap is not handed on
      return new StreamedResult<>(reply.exitStatus(), reply.truncated() ? null : value, reply.stderr(), reply.truncated());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from an array
    }
  }

  private Reply replyTo(String line) {
    Matcher nonceLine = NONCE_LINE.matcher(line);
    if (nonceLine.find()) {
      String nonce = nonceLine.group(1);
      if (line.equals(CollectorScript.probe(nonce).line())) {
        asked.add(new Asked(Asked.PROBE, List.of(), null));
        return withNonce(required(probe, "the probe"), nonce);
      }
      for (String pm : List.of("dnf", "dnf5", "yum")) {
        String script = CollectorScript.refresh(nonce, pm, List.of()).line();
        if (line.startsWith(script)) {
          List<String> ids = new ArrayList<>();
          Matcher m = REPO_OPTION.matcher(line.substring(script.length()));
          while (m.find()) {
            ids.add(m.group(1));
          }
          // the rest of the line must be the --repo options and nothing else
          if (!line.substring(script.length()).replaceAll(REPO_OPTION.pattern(), "").isEmpty()) {
            break;
          }
          asked.add(new Asked(Asked.REFRESH, List.copyOf(ids), null));
          return withNonce(required(refresh, "a refresh"), nonce);
        }
      }
    }
    for (Map.Entry<String, Reply> e : updateInfo.entrySet()) {
      if (line.equals(CollectorScript.readUpdateInfo(e.getKey()).line())) {
        asked.add(new Asked(Asked.READ_UPDATE_INFO, List.of(), e.getKey()));
        return e.getValue();
      }
    }
    String read = CollectorScript.readUpdateInfo(SOME_CACHED_FILE).line();
    String readPrefix = read.substring(0, read.length() - ShellCommand.quote(SOME_CACHED_FILE).length());
    if (otherFilesMissing && line.startsWith(readPrefix)) {
      String path = line.substring(readPrefix.length() + 1, line.length() - 1).replace("'\\''", "'");
      if (line.equals(CollectorScript.readUpdateInfo(path).line())) {
        asked.add(new Asked(Asked.READ_UPDATE_INFO, List.of(), path));
        return Reply.failed(1, "gzip: " + path + ": No such file or directory");
      }
    }
    throw new AssertionError("the replayed host has no answer to: " + line);
  }

  private static Reply required(Reply reply, String what) {
    if (reply == null) {
      throw new AssertionError("the replayed host was not given an answer to " + what);
    }
    return reply;
  }

  private static Reply withNonce(Reply reply, String nonce) {
    String marker = CollectorScript.MARKER_PREFIX + CapturedCommandLinesTest.NONCE + " ";
    String text = new String(reply.stdout(), StandardCharsets.UTF_8)
        .replace(marker, CollectorScript.MARKER_PREFIX + nonce + " ");
    return new Reply(text.getBytes(StandardCharsets.UTF_8), reply.exitStatus(), reply.stderr(), reply.truncated());
  }

  @Override
  public void close() {
    // nothing was opened
  }
}
