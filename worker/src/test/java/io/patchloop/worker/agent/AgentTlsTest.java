package io.patchloop.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.agent.AgentPresenceActivities;
import io.patchloop.workflows.agent.AgentPresenceWorkflowImpl;
import io.patchloop.workflows.agent.AgentReport;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.WorkerFactory;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's mutual TLS to Temporal: a real Temporal test server (plain gRPC) behind a TLS proxy
 * that demands a client certificate from the test's CA, the way a cluster's frontend with
 * requireClientAuth would. Certificates come from the machine's openssl. An agent with its
 * certificate gets through and reports itself; one without is refused and keeps trying.
 */
class AgentTlsTest {

  @TempDir
  static Path dir;
  static TestServer.PortBoundTestServer temporal;
  static WorkerFactory central;
  static TlsProxy proxy;
  static final BlockingQueue<AgentReport> reports = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", "/CN=patchloop-test-ca", "-keyout", "ca.key", "-out", "ca.pem");
    issue("server", "/CN=temporal.test", "subjectAltName=DNS:temporal.test");
    issue("agent", "/CN=patchloop-agent-5", "extendedKeyUsage=clientAuth");
    openssl("pkcs12", "-export", "-in", "server.pem", "-inkey", "server.key", "-out", "server.p12", "-passout", "pass:x");

    int port = freePort();
    temporal = TestServer.createPortBoundServer(port);
    WorkflowServiceStubs plain = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
    central = WorkerFactory.newInstance(WorkflowClient.newInstance(plain));
    var worker = central.newWorker(TaskQueues.TICKETS);
    worker.registerWorkflowImplementationTypes(AgentPresenceWorkflowImpl.class);
    worker.registerActivitiesImplementations((AgentPresenceActivities) reports::add);
    central.start();
    proxy = new TlsProxy(serverTls(), port);
  }

  @AfterAll
  static void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (central != null) {
      central.shutdownNow();
    }
    if (temporal != null) {
      temporal.close();
    }
  }

  @Test
  void anAgentWithItsCertificateConnectsAndReports() throws Exception {
    Agent agent = new Agent(config(5, true));
    Thread starting = new Thread(agent::start);
    starting.start();
    try {
      AgentReport report = reports.poll(60, TimeUnit.SECONDS);
      assertThat(report).as("a report through the TLS proxy").isNotNull();
      assertThat(report.hostId()).isEqualTo(5);
      assertThat(report.facts()).containsKey("java");
      assertThat(proxy.handshakes()).isPositive();
    } finally {
      agent.stop();
      starting.join(10_000);
    }
  }

  @Test
  void anAgentWithoutAClientCertificateIsRefusedAndKeepsTrying() throws Exception {
    reports.clear();
    int failedBefore = proxy.failedHandshakes();
    Agent agent = new Agent(config(6, false));
    Thread starting = new Thread(agent::start);
    starting.start();
    try {
      assertThat(reports.poll(8, TimeUnit.SECONDS)).as("no report without a client certificate").isNull();
      assertThat(proxy.failedHandshakes()).isGreaterThan(failedBefore);
      assertThat(starting.isAlive()).as("still trying, not exited").isTrue();
    } finally {
      starting.interrupt();
      starting.join(10_000);
      agent.stop();
    }
  }

  private static AgentConfig config(long hostId, boolean withClientCertificate) {
    Map<String, String> env = new java.util.HashMap<>(Map.of(
        "PATCHLOOP_AGENT_HOST_ID", Long.toString(hostId),
        "PATCHLOOP_AGENT_TEMPORAL_TARGET", "127.0.0.1:" + proxy.port(),
        "PATCHLOOP_AGENT_TLS_CA", dir.resolve("ca.pem").toString(),
        "PATCHLOOP_AGENT_TLS_SERVER_NAME", "temporal.test",
        "PATCHLOOP_AGENT_REPORT_INTERVAL_SECONDS", "1"));
    if (withClientCertificate) {
      env.put("PATCHLOOP_AGENT_TLS_CERT", dir.resolve("agent.pem").toString());
      env.put("PATCHLOOP_AGENT_TLS_KEY", dir.resolve("agent.key").toString());
    }
    return AgentConfig.fromEnvironment(env);
  }

  /** A key (PKCS#8, what the agent takes) and a certificate for {@code name}, signed by the test CA. */
  private static void issue(String name, String subject, String extension) throws Exception {
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key");
    openssl("req", "-new", "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
    java.nio.file.Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
    openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
        "-extfile", name + ".ext", "-out", name + ".pem");
  }

  private static void openssl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("openssl " + String.join(" ", args) + ": " + out).isZero();
  }

  /** The frontend's side: its certificate, and only the test CA's client certificates accepted. */
  private static SSLContext serverTls() throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(dir.resolve("server.p12").toFile())) {
      keys.load(in, "x".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "x".toCharArray());
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = new FileInputStream(dir.resolve("ca.pem").toFile())) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Terminates TLS (HTTP/2 by ALPN, client certificate required) and passes the bytes to the plain server. */
  static final class TlsProxy implements AutoCloseable {
    private final SSLServerSocket server;
    private final int backendPort;
    private final java.util.concurrent.atomic.AtomicInteger handshakes = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();

    TlsProxy(SSLContext tls, int backendPort) throws IOException {
      this.backendPort = backendPort;
      server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 50,
          java.net.InetAddress.getLoopbackAddress());
      SSLParameters parameters = server.getSSLParameters();
      parameters.setNeedClientAuth(true);
      parameters.setApplicationProtocols(new String[] {"h2"});
      server.setSSLParameters(parameters);
      Thread accept = new Thread(this::accept, "tls-proxy");
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return server.getLocalPort();
    }

    int handshakes() {
      return handshakes.get();
    }

    int failedHandshakes() {
      return failed.get();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          javax.net.ssl.SSLSocket client = (javax.net.ssl.SSLSocket) server.accept();
          Thread t = new Thread(() -> serve(client), "tls-proxy-conn");
          t.setDaemon(true);
          t.start();
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void serve(javax.net.ssl.SSLSocket client) {
      try {
        client.startHandshake();
        handshakes.incrementAndGet();
      } catch (IOException refused) {
        failed.incrementAndGet();
        closeQuietly(client);
        return;
      }
      try {
        Socket backend = new Socket(java.net.InetAddress.getLoopbackAddress(), backendPort);
        pump(client, backend);
        pump(backend, client);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }

    private static void pump(Socket from, Socket to) {
      Thread t = new Thread(() -> {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
          in.transferTo(out);
        } catch (IOException ended) {
          // one side closed: close both
        } finally {
          closeQuietly(from);
          closeQuietly(to);
        }
      }, "tls-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    private static void closeQuietly(Socket s) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already closed
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
