package io.patchloop.notifications;

/** Sends a message through one type of channel. */
public interface ChannelSender {

  ChannelType type();

  /**
   * @param deliveryId sent along where the channel has room for it (webhook header), so receivers can drop duplicates
   * @throws DeliveryException when the channel refused the message or did not answer
   */
  void send(ChannelSpec channel, Message message, long deliveryId);

  /**
   * A failed send. The message is a short reason in Patchloop's own words ("answered 500", "timed
   * out after 10 s"), fit for anyone who reads deliveries; {@link #detail()} is what the remote end
   * said, at most {@link RemoteText#MAX_CHARS} printable characters, for admins only.
   * {@code permanent}: retrying cannot help.
   */
  class DeliveryException extends RuntimeException {
    private final boolean permanent;
    private final String detail;

    public DeliveryException(String reason, String detail, boolean permanent) {
      super(reason);
      this.detail = RemoteText.excerpt(detail);
      this.permanent = permanent;
    }

    public DeliveryException(String reason, boolean permanent) {
      this(reason, null, permanent);
    }

    public DeliveryException(String reason, String detail, Throwable cause) {
      super(reason, cause);
      this.detail = RemoteText.excerpt(detail);
      this.permanent = false;
    }

    public boolean permanent() {
      return permanent;
    }

    /** What the remote end said, or null: admins only. */
    public String detail() {
      return detail;
    }
  }
}
