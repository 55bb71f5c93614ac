package io.patchloop.notifications;

/** Sends a message through one type of channel. */
public interface ChannelSender {

  ChannelType type();

  /**
   * @param deliveryId sent along where the channel has room for it (webhook header), so receivers can drop duplicates
   * @throws DeliveryException when the channel refused the message or did not answer
   */
  void send(ChannelSpec channel, Message message, long deliveryId);

  /** A failed send, in words for the delivery record. {@code permanent}: retrying cannot help. */
  class DeliveryException extends RuntimeException {
    private final boolean permanent;

    public DeliveryException(String message, boolean permanent) {
      super(message);
      this.permanent = permanent;
    }

    public DeliveryException(String message, Throwable cause) {
      super(message, cause);
      this.permanent = false;
    }

    public boolean permanent() {
      return permanent;
    }
  }
}
