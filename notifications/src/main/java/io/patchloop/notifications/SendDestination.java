package io.patchloop.notifications;

import io.patchloop.notifications.ChannelSender.DeliveryException;
import io.patchloop.outbound.OutboundPolicy;
import io.patchloop.outbound.OutboundRefusedException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** The outbound policy's check before every send (HTTP and SMTP alike), its outcomes in the words of a delivery. */
final class SendDestination {

  private SendDestination() {}

  /**
   * Resolves the destination within the deadline and checks every address it resolves to.
   *
   * @throws DeliveryException permanent when the policy refuses it; otherwise why it could not be checked
   */
  static void check(OutboundPolicy policy, String host, int port, long deadlineNanos) {
    try {
      policy.check(host, port, deadlineNanos);
    } catch (OutboundRefusedException e) {
      throw new DeliveryException(e.getMessage(), true);
    } catch (UnknownHostException e) {
      throw new DeliveryException("could not resolve " + host, e.getMessage(), e);
    } catch (TimeoutException e) {
      throw new DeliveryException(timedOut(policy), null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException("interrupted", null, e);
    }
  }

  /** The reason of a send that ran past the policy's deadline. */
  static String timedOut(OutboundPolicy policy) {
    Duration d = policy.timeout();
    long ms = d.toMillis();
    return "timed out after " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms");
  }
}
