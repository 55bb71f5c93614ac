package io.patchloop.hostaccess;

import io.patchloop.hostaccess.OutputCapture.Captured;
import io.patchloop.hostaccess.OutputCapture.Streamed;
import io.patchloop.workflows.host.HostErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Host access over SSH (sshj): key authentication, host keys checked against Patchloop's own
 * known-hosts store, timeouts that stop the command on the host too, keepalives, an output cap,
 * stdout and stderr apart, one connection per step.
 */
@Component
// simulated hosts replace it for scale runs (io.patchloop.simulation.SimulatedHostAccess); never both
@ConditionalOnProperty(prefix = "patchloop.simulation", name = "enabled", havingValue = "false", matchIfMissing = true)
public class SshHostAccess implements HostAccess {

  private static final Logger log = LoggerFactory.getLogger(SshHostAccess.class);
  static final int KEEPALIVE_INTERVAL_SECONDS = 15;
  static final int KEEPALIVE_MAX_MISSED = 4;

  private final KnownHostKeyStore knownHosts;
  private final SshProperties properties;

  public SshHostAccess(KnownHostKeyStore knownHosts, SshProperties properties) {
    this.knownHosts = knownHosts;
    this.properties = properties;
  }

  @Override
  public HostSession open(HostTarget target) {
    DefaultConfig config = new DefaultConfig();
    config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
    SSHClient ssh = new SSHClient(config);
    // a host that stops answering mid-command (powered off, a dropped route) is noticed in about a
    // minute, not when the command's own timeout (up to 30 minutes) passes; set before connect,
    // which starts the keepalive thread only when the interval is set
    ssh.getConnection().getKeepAlive().setKeepAliveInterval(KEEPALIVE_INTERVAL_SECONDS);
    ((KeepAliveRunner) ssh.getConnection().getKeepAlive()).setMaxAliveCount(KEEPALIVE_MAX_MISSED);
    Verifier verifier = new Verifier(target);
    ssh.addHostKeyVerifier(verifier);
    int connectMs = (int) properties.connectTimeout().toMillis();
    ssh.setConnectTimeout(connectMs);
    ssh.setTimeout(connectMs);
    try {
      ssh.connect(target.address(), target.port());
    } catch (TransportException e) {
      close(ssh);
      if (verifier.refusal != null) {
        throw new HostAccessException(HostErrorKind.HOST_KEY_REFUSED, verifier.refusal, e);
      }
      throw new HostAccessException(HostErrorKind.UNREACHABLE, target + ": SSH handshake failed: " + e.getMessage(), e);
    } catch (UnknownHostException e) {
      close(ssh);
      throw new HostAccessException(HostErrorKind.UNREACHABLE, target + ": unknown host name " + target.address(), e);
    } catch (ConnectException | NoRouteToHostException e) {
      close(ssh);
      throw new HostAccessException(HostErrorKind.UNREACHABLE, target + ": connection refused or no route (" + e.getMessage() + ")", e);
    } catch (SocketTimeoutException e) {
      close(ssh);
      throw new HostAccessException(HostErrorKind.UNREACHABLE,
          target + ": no answer within " + properties.connectTimeout().toSeconds() + " s", e);
    } catch (IOException e) {
      close(ssh);
      throw new HostAccessException(HostErrorKind.UNREACHABLE, target + ": " + e.getMessage(), e);
    }
    try {
      ssh.authPublickey(target.username(), keys(ssh, target));
    } catch (UserAuthException e) {
      close(ssh);
      throw new HostAccessException(HostErrorKind.AUTH_FAILED,
          target + ": the server refused the key for user " + target.username(), e);
    } catch (IOException e) {
      close(ssh);
      throw new HostAccessException(HostErrorKind.AUTH_FAILED, target + ": cannot use the private key: " + e.getMessage(), e);
    }
    ssh.setTimeout(0);
    return new SshSession(ssh, target, properties.maxOutputBytes());
  }

  private static KeyProvider keys(SSHClient ssh, HostTarget target) throws IOException {
    if (target.keyPath() != null) {
      if (!java.nio.file.Files.isReadable(target.keyPath())) {
        throw new IOException("key file " + target.keyPath() + " does not exist or is not readable by the worker");
      }
      return target.passphrase() == null
          ? ssh.loadKeys(target.keyPath().toString())
          : ssh.loadKeys(target.keyPath().toString(), target.passphrase().toCharArray());
    }
    return ssh.loadKeys(target.privateKey(), null,
        target.passphrase() == null ? null : PasswordUtils.createOneOff(target.passphrase().toCharArray()));
  }

  private final class Verifier implements HostKeyVerifier {
    private final HostTarget target;
    private String refusal;

    Verifier(HostTarget target) {
      this.target = target;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
      String type = KeyType.fromKey(key).toString();
      byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
      String fingerprint = PublicKeyLine.fingerprint(blob);
      var presented = new KnownHostKeyStore.KnownKey(type, fingerprint, Base64.getEncoder().encodeToString(blob));
      var known = knownHosts.find(target.address(), target.port());
      if (known.isEmpty()) {
        if (properties.hostKeyPolicy() == HostKeyPolicy.STRICT) {
          refusal = target.address() + ":" + target.port() + " presented a host key Patchloop does not know ("
              + type + " " + fingerprint + ") and the host-key policy is STRICT; register the host's key first"
              + " (PUT /api/v1/hosts/{id}/host-key)";
          return false;
        }
        known = java.util.Optional.of(knownHosts.recordFirst(target.address(), target.port(), presented));
      }
      if (!known.get().publicKey().equals(presented.publicKey())) {
        refusal = "HOST KEY CHANGED for " + target.address() + ":" + target.port() + ": Patchloop knows "
            + known.get().keyType() + " " + known.get().fingerprint() + " but the host presented " + type + " "
            + fingerprint + ". Refused: someone may be impersonating the host, or it was rebuilt; if it was"
            + " rebuilt on purpose, replace the recorded key (PUT /api/v1/hosts/{id}/host-key) or forget it"
            + " (DELETE /api/v1/hosts/{id}/host-key)";
        return false;
      }
      return true;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
      // offer the recorded key's algorithm first, so a host with several keys presents the one we know
      return knownHosts.find(target.address(), target.port()).map(k -> List.of(k.keyType())).orElse(List.of());
    }
  }

  private static final class SshSession implements HostSession {
    private final SSHClient ssh;
    private final HostTarget target;
    private final int maxOutputBytes;

    SshSession(SSHClient ssh, HostTarget target, int maxOutputBytes) {
      this.ssh = ssh;
      this.target = target;
      this.maxOutputBytes = maxOutputBytes;
    }

    @Override
    public CommandResult run(ShellCommand command, Duration timeout) {
      Finished<Captured> done = execute(command, timeout, stdout -> OutputCapture.start(stdout, maxOutputBytes));
      return new CommandResult(done.exitStatus(), done.stdout().text(), done.stderr(), done.stdout().truncated());
    }

    @Override
    public <T> StreamedResult<T> stream(ShellCommand command, Duration timeout, StdoutReader<T> reader) {
      Finished<Streamed<T>> done = execute(command, timeout,
          stdout -> OutputCapture.stream(stdout, maxOutputBytes, reader));
      return new StreamedResult<>(done.exitStatus(), done.stdout().value(), done.stderr(), done.stdout().truncated());
    }

    private record Finished<S>(int exitStatus, S stdout, String stderr) {}

    /**
     * Runs the command as a process group of its own on the host ({@link RemoteProcessGroup}),
     * stdout read by what {@code readStdout} starts and stderr captured, both at once; stops it on
     * the host when Patchloop stops waiting.
     */
    private <S> Finished<S> execute(ShellCommand command, Duration timeout,
        Function<InputStream, CompletableFuture<S>> readStdout) {
      try (Session session = ssh.startSession()) {
        Session.Command cmd = session.exec(RemoteProcessGroup.wrap(command, timeout));
        RemoteProcessGroup group = new RemoteProcessGroup(cmd.getErrorStream());
        CompletableFuture<Captured> err = OutputCapture.start(group.stderr(), OutputCapture.STDERR_CAP);
        CompletableFuture<S> out = readStdout.apply(cmd.getInputStream());
        S stdout;
        Captured stderr;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
          stdout = out.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
          stderr = err.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          cmd.join(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          stop(group);
          throw new HostAccessException(HostErrorKind.TIMEOUT,
              target + ": command did not finish within " + timeout.toSeconds() + " s (stopped on the host): " + command, e);
        } catch (InterruptedException e) {
          // the activity was cancelled or timed out (Heartbeats interrupts its thread): the host must stop too
          Thread.interrupted();
          stop(group);
          Thread.currentThread().interrupt();
          throw new HostAccessException(HostErrorKind.TIMEOUT, target + ": abandoned (stopped on the host): " + command, e);
        } catch (ExecutionException e) {
          RuntimeException fromReader = OutputCapture.readerFailure(e.getCause());
          if (fromReader != null) {
            stop(group);
            throw fromReader;
          }
          throw new HostAccessException(HostErrorKind.UNREACHABLE, target + ": reading output failed: " + e.getCause(), e);
        }
        Integer status = cmd.getExitStatus();
        if (status == null) {
          throw new HostAccessException(HostErrorKind.UNREACHABLE,
              target + ": the connection closed before the command reported its exit status: " + command);
        }
        return new Finished<>(status, stdout, stderr.text());
      } catch (IOException e) {
        throw new HostAccessException(HostErrorKind.UNREACHABLE, target + ": " + e.getMessage(), e);
      }
    }

    /**
     * Ends a command that is no longer waited for, with everything it started (dnf, rpm): closing
     * the channel alone leaves it running, holding the rpm lock. Best effort, on a channel of its
     * own; the command's remote {@code timeout} is the backstop when the connection is gone.
     */
    private void stop(RemoteProcessGroup group) {
      var kill = group.killCommand();
      if (kill.isEmpty()) {
        return; // it never started
      }
      try (Session session = ssh.startSession()) {
        Session.Command cmd = session.exec(kill.get().line());
        cmd.join(10, TimeUnit.SECONDS);
      } catch (IOException | RuntimeException e) {
        log.warn("{}: could not stop a timed-out command on the host; its own timeout will: {}", target, e.toString());
      }
    }

    @Override
    public void close() {
      SshHostAccess.close(ssh);
    }
  }

  private static void close(SSHClient ssh) {
    try {
      ssh.disconnect();
    } catch (IOException ignored) {
      // closing a connection that already failed: nothing left to release
    }
  }
}
