package io.patchloop.notifications;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/** Sends through a channel with the sender of its type: deliveries, and a channel's test message. */
@Service
public class NotificationService {

  private final ChannelStore channels;
  private final MessageComposer composer;
  private final Map<ChannelType, ChannelSender> senders;
  private final DeliveryCounter deliveries;

  public NotificationService(ChannelStore channels, MessageComposer composer, List<ChannelSender> senders,
      DeliveryCounter deliveries) {
    this.deliveries = deliveries;
    this.channels = channels;
    this.composer = composer;
    this.senders = senders.stream().collect(Collectors.toMap(ChannelSender::type, Function.identity()));
  }

  /** @throws ChannelSender.DeliveryException with the channel's own reason when it did not take the message */
  public void send(ChannelSpec channel, Message message, long deliveryId) {
    try {
      sendThrough(channel, message, deliveryId);
    } catch (ChannelSender.DeliveryException e) {
      deliveries.count(channel.type(), e.permanent() ? DeliveryCounter.REJECTED : DeliveryCounter.FAILED);
      throw e;
    } catch (RuntimeException unexpected) {
      deliveries.count(channel.type(), DeliveryCounter.FAILED);
      throw unexpected;
    }
    deliveries.count(channel.type(), DeliveryCounter.SENT);
  }

  private void sendThrough(ChannelSpec channel, Message message, long deliveryId) {
    senders.get(channel.type()).send(channel, message, deliveryId);
  }

  /** Sent at once; the exception, if any, says why the channel did not take it. */
  public void sendTest(long channelId) {
    ChannelSpec channel = channels.withSecrets(channelId);
    sendThrough(channel, composer.test(channel.name()), 0);
  }
}
