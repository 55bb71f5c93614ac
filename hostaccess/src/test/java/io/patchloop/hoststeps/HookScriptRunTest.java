package io.patchloop.hoststeps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.hostaccess.LocalHostSession;
import io.patchloop.workflows.hooks.HookPhase;
import io.patchloop.workflows.hooks.HookResult;
import io.patchloop.workflows.hooks.HookRun;
import io.patchloop.workflows.hooks.HostHook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hook scripts as the agent runs them: real {@code /bin/sh} processes on this machine, through the
 * same {@link HostWork#runHook} the SSH path runs (the lab end-to-end test runs it over SSH).
 */
class HookScriptRunTest {

  private final HostWork work = new HostWork(null, null, Clock.systemUTC(), Duration.ofSeconds(1));
  private final LocalHostSession session = new LocalHostSession(64 * 1024);

  private HookResult run(String script, HookPhase phase, int timeoutSeconds) {
    return work.runHook(session, new HookRun(new HostHook("drain-node", 2, script, timeoutSeconds), phase,
        "repair-20261203-073000-abcdef"));
  }

  @Test
  void theScriptGetsItsPhaseAndTicketAndItsExitStatusAndOutputComeBack(@TempDir Path dir) throws Exception {
    Path seen = dir.resolve("seen");
    HookResult ok = run("echo \"$1 $2\" > '" + seen + "'\necho drained 3 connections\n", HookPhase.PRE, 10);
    assertThat(ok.succeeded()).isTrue();
    assertThat(ok.output()).isEqualTo("drained 3 connections");
    assertThat(Files.readString(seen)).isEqualTo("pre repair-20261203-073000-abcdef\n");

    HookResult failed = run("echo checking\necho 'health check: 503' >&2\nexit 4", HookPhase.POST, 10);
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.exitStatus()).isEqualTo(4);
    assertThat(failed.timedOut()).isFalse();
    assertThat(failed.output()).isEqualTo("checking\nhealth check: 503");
    assertThat(failed.describe(10)).startsWith("exited 4 in ");
  }

  /** Quotes, dollars and backticks in the script are the script's own: it runs as written, once. */
  @Test
  void aScriptWithQuotesRunsAsWritten(@TempDir Path dir) throws Exception {
    Path marker = dir.resolve("marker");
    HookResult r = run("x='it'\"'\"'s $HOME `true`'; printf '%s\\n' \"$x\"; touch '" + marker + "'", HookPhase.PRE, 10);
    assertThat(r.output()).isEqualTo("it's $HOME `true`");
    assertThat(Files.exists(marker)).isTrue();
  }

  @Test
  void aScriptPastItsTimeoutIsStoppedAndSaysSo() {
    long start = System.nanoTime();
    HookResult r = run("echo started; sleep 30", HookPhase.PRE, 1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(r.timedOut()).isTrue();
    assertThat(r.succeeded()).isFalse();
    assertThat(r.exitStatus()).isEqualTo(-1);
    assertThat(r.describe(1)).isEqualTo("timed out after 1 s");
    assertThat(r.output()).contains("did not finish within 1 s");
  }

  /** What a chatty script printed is kept by its end, where the verdict is. */
  @Test
  void onlyTheEndOfALongOutputIsKept() {
    HookResult r = run("seq 1 5000; echo verdict: ok", HookPhase.POST, 10);
    assertThat(r.output()).hasSize(HookResult.MAX_OUTPUT_CHARS).startsWith("…").endsWith("4999\n5000\nverdict: ok");
  }

  /** The stored hook was checked when an admin saved it; a script that bypassed that never reaches a shell. */
  @Test
  void aScriptWithControlCharactersIsRefusedBeforeAnyShell(@TempDir Path dir) {
    Path marker = dir.resolve("marker");
    assertThatThrownBy(() -> run("touch '" + marker + "'\r\n", HookPhase.PRE, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not passed to a shell");
    assertThatThrownBy(() -> work.runHook(session, new HookRun(new HostHook("x", 1, "true", 5), HookPhase.PRE,
        "t; touch " + marker))).isInstanceOf(IllegalArgumentException.class);
    assertThat(Files.exists(marker)).isFalse();
  }
}
