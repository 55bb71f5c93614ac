package io.patchloop.worker.agent;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.patchloop.agent.HostAgentActivitiesImpl;
import io.patchloop.collect.CollectorTraffic;
import io.patchloop.collect.RpmCollector;
import io.patchloop.hostaccess.LocalHostSession;
import io.patchloop.hoststeps.HostWork;
import io.patchloop.repair.RpmInstaller;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.agent.AgentPresenceWorkflow;
import io.patchloop.workflows.agent.AgentReport;
import io.patchloop.workflows.host.ActivityPayloads;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Patchloop agent: a Temporal worker on its host's own task queue that runs the host-side
 * steps of scans and repairs locally, and reports itself to the platform when it starts and every
 * report interval after. It only ever connects out, to the Temporal frontend.
 */
final class Agent {

  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  /** Host steps at once: a scan and a repair of the same host never need more. */
  static final int MAX_CONCURRENT_STEPS = 2;

  private final AgentConfig config;
  private final long startedAtMillis = System.currentTimeMillis();
  private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "patchloop-agent-report");
    t.setDaemon(true);
    return t;
  });
  private WorkflowServiceStubs service;
  private WorkflowClient client;
  private WorkerFactory factory;

  Agent(AgentConfig config) {
    this.config = config;
  }

  void start() {
    if (config.insecurePlaintext()) {
      // at every start, so that it is in every log that shows the agent running
      log.warn(config.plaintextWarning());
    }
    service = WorkflowServiceStubs.newServiceStubs(serviceOptions());
    client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder()
        .setNamespace(config.namespace())
        .setIdentity("patchloop-agent/host-" + config.hostId() + "@" + hostname())
        .setDataConverter(ActivityPayloads.converter()) // as the central workers', which read its large results
        .build());
    factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(TaskQueues.forHost(config.hostId()), WorkerOptions.newBuilder()
        .setMaxConcurrentActivityExecutionSize(MAX_CONCURRENT_STEPS)
        .build());
    worker.registerActivitiesImplementations(new HostAgentActivitiesImpl(
        () -> new LocalHostSession(config.maxOutputBytes()),
        new HostWork(RpmCollector.withoutCatalog(new CollectorTraffic()), new RpmInstaller(Clock.systemUTC()),
            Clock.systemUTC(), config.bootPollInterval()),
        Clock.systemUTC()));
    awaitTemporal();
    factory.start();
    log.info("patchloop agent {} for host {} polling {} on {} (namespace {}, {})", version(), config.hostId(),
        TaskQueues.forHost(config.hostId()), config.temporalTarget(), config.namespace(), config.tls() ? "TLS" : "plain");
    reporter.scheduleWithFixedDelay(this::report, 0, config.reportInterval().toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * Waits until the frontend answers, so an agent that boots before the network or the cluster is
   * up keeps trying (with backoff up to a minute) instead of exiting; a namespace that does not
   * exist is a configuration error and ends the agent.
   */
  private void awaitTemporal() {
    long backoffMillis = 1000;
    while (true) {
      try {
        service.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS).describeNamespace(
            DescribeNamespaceRequest.newBuilder().setNamespace(config.namespace()).build());
        return;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
          throw new IllegalStateException("namespace " + config.namespace() + " does not exist on "
              + config.temporalTarget(), e);
        }
        log.warn("Temporal at {} does not answer yet ({}); trying again in {} s", config.temporalTarget(),
            e.getStatus().getCode(), backoffMillis / 1000);
      }
      try {
        Thread.sleep(backoffMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Temporal", e);
      }
      backoffMillis = Math.min(60_000, backoffMillis * 2);
    }
  }

  /** Signal-with-start: starts the host's presence workflow if it is not running, then hands it the report. */
  void report() {
    try {
      AgentReport report = new AgentReport(config.hostId(), version(),
          HostFacts.read(new LocalHostSession(1 << 16)), startedAtMillis);
      AgentPresenceWorkflow presence = client.newWorkflowStub(AgentPresenceWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(AgentPresenceWorkflow.workflowId(config.hostId()))
          .setTaskQueue(TaskQueues.TICKETS)
          .build());
      var request = client.newSignalWithStartRequest();
      request.add(presence::run, config.hostId());
      request.add(presence::report, report);
      client.signalWithStart(request);
    } catch (RuntimeException e) {
      // Temporal unreachable for now: the worker reconnects on its own, the next report says we are back
      log.warn("could not report to the platform: {}", e.getMessage());
    }
  }

  void stop() {
    reporter.shutdownNow();
    if (factory != null && factory.isStarted()) {
      try {
        factory.shutdown();
        factory.awaitTermination(10, TimeUnit.SECONDS);
      } catch (RuntimeException unreachable) {
        // telling the server that this worker stops is a courtesy; the JVM ends anyway
        log.info("stopped without telling Temporal: {}", unreachable.getMessage());
      }
    }
    if (service != null) {
      service.shutdownNow();
    }
  }

  private WorkflowServiceStubsOptions serviceOptions() {
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder()
        .setTarget(config.temporalTarget());
    if (config.tls()) {
      try {
        SimpleSslContextBuilder ssl;
        if (config.tlsCert() != null) {
          // read now: the builder reads its streams only in build()
          ssl = SimpleSslContextBuilder.forPKCS8(new ByteArrayInputStream(Files.readAllBytes(config.tlsCert())),
              new ByteArrayInputStream(Files.readAllBytes(config.tlsKey())));
        } else {
          ssl = SimpleSslContextBuilder.noKeyOrCertChain();
        }
        if (config.tlsCa() != null) {
          ssl.setTrustManager(trustOnly(config.tlsCa()).getTrustManagers()[0]);
        }
        options.setSslContext(ssl.build());
        if (config.tlsServerName() != null) {
          options.setChannelInitializer(channel -> channel.overrideAuthority(config.tlsServerName()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the agent's TLS files", e);
      }
    }
    return options.build();
  }

  /** A trust manager that trusts the one CA the platform's frontend certificate is signed by. */
  private static TrustManagerFactory trustOnly(java.nio.file.Path caFile) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + n++, (X509Certificate) cert);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("the CA file " + caFile + " holds no usable certificate: " + e.getMessage(), e);
    }
  }

  /** The worker jar's version, from the build info the Spring Boot plugin writes into it. */
  static String version() {
    try (InputStream in = Agent.class.getResourceAsStream("/META-INF/build-info.properties")) {
      if (in == null) {
        return "unknown";
      }
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      return p.getProperty("build.version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String hostname() {
    try {
      return Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
