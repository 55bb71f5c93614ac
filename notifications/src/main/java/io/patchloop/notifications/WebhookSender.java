package io.patchloop.notifications;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * POSTs the event's JSON, signed: {@code X-Patchloop-Signature: sha256=<hex HMAC-SHA256(secret,
 * body)>} over the exact bytes sent, with {@code X-Patchloop-Event} and {@code X-Patchloop-Delivery}
 * (the same on every retry of one delivery, so a receiver can drop duplicates).
 */
@Component
public class WebhookSender implements ChannelSender {

  public static final String SIGNATURE_HEADER = "X-Patchloop-Signature";
  private final HttpPoster http;

  public WebhookSender(HttpPoster http) {
    this.http = http;
  }

  @Override
  public ChannelType type() {
    return ChannelType.WEBHOOK;
  }

  @Override
  public void send(ChannelSpec channel, Message message, long deliveryId) {
    post(channel.webhook().url(), channel.webhook().secret(), message.event() == null ? "TEST" : message.event().name(),
        Long.toString(deliveryId), message.payloadJson());
  }

  /**
   * The signed POST of the webhook channel, also a ticket's callback.
   *
   * @param secret null: no signature header (a callback without a secret)
   */
  public void post(String url, String secret, String event, String deliveryRef, String body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("X-Patchloop-Event", event);
    headers.put("X-Patchloop-Delivery", deliveryRef);
    if (secret != null) {
      headers.put(SIGNATURE_HEADER, signature(secret, body));
    }
    http.call("POST", url, headers, body);
  }

  /** {@code sha256=} and the lower-case hex HMAC-SHA256 of the body's UTF-8 bytes. */
  public static String signature(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
