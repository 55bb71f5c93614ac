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

  public NotificationService(ChannelStore channels, MessageComposer composer, List<ChannelSender> senders) {
    this.channels = channels;
    this.composer = composer;
    this.senders = senders.stream().collect(Collectors.toMap(ChannelSender::type, Function.identity()));
  }

  /** @throws ChannelSender.DeliveryException with the channel's own reason when it did not take the message */
  public void send(ChannelSpec channel, Message message, long deliveryId) {
    senders.get(channel.type()).send(channel, message, deliveryId);
  }

  /** Sent at once; the exception, if any, says why the channel did not take it. */
  public void sendTest(long channelId) {
    ChannelSpec channel = channels.withSecrets(channelId);
    send(channel, composer.test(channel.name()), 0);
  }
}
