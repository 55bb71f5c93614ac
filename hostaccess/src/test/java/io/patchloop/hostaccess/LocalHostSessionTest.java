package io.patchloop.hostaccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.workflows.host.HostErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's way to its own host: real processes on this machine. */
class LocalHostSessionTest {

  private final LocalHostSession session = new LocalHostSession(1024);

  @Test
  void givesExitStatusStdoutAndStderrApart() {
    CommandResult r = session.run(ShellCommand.constant("echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
    assertThat(r.exitStatus()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("out\n");
    assertThat(r.stderr()).isEqualTo("err\n");
    assertThat(r.truncated()).isFalse();
  }

  @Test
  void passesValuesAsArgumentsThatNoShellExpands(@TempDir Path dir) throws Exception {
    Path marker = dir.resolve("pwned");
    String hostile = "x;touch${IFS}" + marker;
    CommandResult r = session.run(ShellCommand.of("printf '%s\\n'").value(hostile, Pattern.compile(".+"), "value").build(),
        Duration.ofSeconds(10));
    assertThat(r.stdout()).isEqualTo(hostile + "\n");
    assertThat(Files.exists(marker)).isFalse();
  }

  @Test
  void capsStdoutAndSaysSo() {
    CommandResult r = session.run(ShellCommand.constant("head -c 5000 /dev/zero | tr '\\0' a"), Duration.ofSeconds(10));
    assertThat(r.stdout()).hasSize(1024);
    assertThat(r.truncated()).isTrue();
  }

  @Test
  void streamsStdoutCountingItAgainstTheCapWithoutHoldingIt() {
    StreamedResult<Long> whole = session.stream(ShellCommand.constant("head -c 1000 /dev/zero"), Duration.ofSeconds(10),
        in -> in.transferTo(java.io.OutputStream.nullOutputStream()));
    assertThat(whole.value()).isEqualTo(1000);
    assertThat(whole.truncated()).isFalse();

    StreamedResult<Long> over = session.stream(ShellCommand.constant("head -c 50000 /dev/zero; echo done >&2"),
        Duration.ofSeconds(10), in -> in.transferTo(java.io.OutputStream.nullOutputStream()));
    assertThat(over.truncated()).isTrue();
    assertThat(over.value()).as("what a reader made of a cut stream is dropped").isNull();
    assertThat(over.stderr()).isEqualTo("done\n");

    // a reader that stops early: the rest is read and dropped, and still counted
    StreamedResult<Integer> early = session.stream(ShellCommand.constant("head -c 5000 /dev/zero"), Duration.ofSeconds(10),
        in -> in.read());
    assertThat(early.truncated()).isTrue();
  }

  @Test
  void aReadersHostErrorEndsTheCommandAsItWasThrown() {
    assertThatThrownBy(() -> session.stream(ShellCommand.constant("echo x"), Duration.ofSeconds(10), in -> {
      throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE, "not ours");
    })).isInstanceOfSatisfying(HostAccessException.class,
        e -> assertThat(e.kind()).isEqualTo(HostErrorKind.OUTPUT_UNPARSEABLE)).hasMessage("not ours");
  }

  @Test
  void killsACommandThatRunsTooLongWithItsChildren(@TempDir Path dir) throws Exception {
    Path pid = dir.resolve("child.pid");
    assertThatThrownBy(() -> session.run(ShellCommand.constant("sleep 30 & echo $! > " + pid + "; wait"),
        Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(HostAccessException.class, e -> assertThat(e.kind()).isEqualTo(HostErrorKind.TIMEOUT));
    long child = Long.parseLong(Files.readString(pid).strip());
    for (int i = 0; i < 50 && ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false); i++) {
      Thread.sleep(100);
    }
    assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("the sleep was killed too").isFalse();
  }
}
