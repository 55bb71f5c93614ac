package io.patchloop.standalone;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's Java test server on 127.0.0.1 only. {@code TestServer.createPortBoundServer} binds
 * the wildcard address, every interface of the machine, and the test server has no
 * authentication: anyone who could reach it over the network could start, signal, cancel or answer
 * tickets without going through the API's roles (review M9). This builds the same services
 * ({@link TestServicesStarter}, registered with their health checks as the SDK's own
 * {@code createPortBoundServer} does) on a Netty gRPC server bound to the loopback address.
 *
 * <p>It uses two classes of the test server's {@code internal} package, which Temporal may change
 * between SDK versions; this class and its test are where such a change shows.
 */
final class LoopbackTemporalServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LoopbackTemporalServer.class);

  private final TestServicesStarter services;
  private final Server server;

  private LoopbackTemporalServer(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  /**
   * Starts the server on 127.0.0.1:{@code port}, without time skipping, as a real cluster keeps
   * time.
   */
  static LoopbackTemporalServer start(int port) throws IOException {
    // lockTimeSkipping = true: time runs as on a wall clock; 0: start at the current time
    TestServicesStarter services = new TestServicesStarter(true, 0);
    try {
      NettyServerBuilder builder = NettyServerBuilder.forAddress(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port), InsecureServerCredentials.create());
      GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
      Server server = builder.build().start();
      return new LoopbackTemporalServer(services, server);
    } catch (IOException | RuntimeException e) {
      services.close();
      throw e;
    }
  }

  /** Where it listens, as gRPC bound it: 127.0.0.1 and the port. */
  InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("embedded Temporal server: calls still running after 5 s, stopping them");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      services.close();
      server.shutdownNow();
    }
  }
}
