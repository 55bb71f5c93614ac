package io.patchloop.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Review M9: the standalone platform's Temporal test server has no authentication, so it must
 * listen on loopback only. The server answers Temporal calls on 127.0.0.1, and a connection to the
 * same port on each of the machine's other addresses is refused, while a plain socket bound to
 * every interface is reachable there (so the refusal is the binding, not a firewall).
 */
class LoopbackTemporalServerTest {

  @Test
  void answersOn127001AndIsNotReachableOnTheMachinesOtherAddresses() throws Exception {
    List<InetAddress> others = nonLoopbackAddresses();
    int port = TestPlatform.freePort();
    try (LoopbackTemporalServer temporal = LoopbackTemporalServer.start(port)) {
      assertThat(temporal.address().getAddress().isLoopbackAddress()).as(temporal.address().toString()).isTrue();
      assertThat(temporal.address().getPort()).isEqualTo(port);

      WorkflowServiceStubs stubs = WorkflowServiceStubs.newConnectedServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build(), Duration.ofSeconds(10));
      try {
        assertThat(stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance()).hasCapabilities())
            .as("a Temporal frontend answers on 127.0.0.1").isTrue();
      } finally {
        stubs.shutdownNow();
      }

      assumeFalse(others.isEmpty(), "this machine has no up, non-loopback IPv4 address to try the port on;"
          + " only the loopback half of the test ran");
      for (InetAddress address : others) {
        assertThat(catchThrowable(() -> connect(address, port)))
            .as("a connection to port %d on %s (not loopback)", port, address.getHostAddress())
            .isInstanceOf(IOException.class);
      }
    }

    // the control: on these addresses a server bound to every interface, as createPortBoundServer binds, is reachable
    try (ServerSocket everywhere = new ServerSocket(0)) {
      for (InetAddress address : others) {
        connect(address, everywhere.getLocalPort());
      }
    }
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 2_000);
    }
  }

  /** The machine's own addresses other than loopback, of interfaces that are up (IPv4: no link-local scope to get right). */
  static List<InetAddress> nonLoopbackAddresses() throws SocketException {
    List<InetAddress> found = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          found.add(a);
        }
      }
    }
    return found;
  }
}
