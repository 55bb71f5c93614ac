package io.patchloop.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.common.JsonText;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A WeCom group robot: {@code {"msgtype":"markdown","markdown":{"content":...}}} to its webhook. The
 * robot answers 200 even when it refuses; {@code errcode} other than 0 is a failure.
 */
@Component
public class WeComSender implements ChannelSender {

  /** WeCom cuts markdown content at 4096 bytes. */
  static final int MAX_CONTENT_CHARS = 3800;
  private final HttpPoster http;

  public WeComSender(HttpPoster http) {
    this.http = http;
  }

  @Override
  public ChannelType type() {
    return ChannelType.WECOM;
  }

  @Override
  public void send(ChannelSpec channel, Message message, long deliveryId) {
    String content = message.markdown().length() > MAX_CONTENT_CHARS
        ? message.markdown().substring(0, MAX_CONTENT_CHARS) + "…" : message.markdown();
    String body = JsonText.write(Map.of("msgtype", "markdown", "markdown", Map.of("content", content)));
    String answer = http.call("POST", channel.wecom().webhookUrl(), Map.of("Content-Type", "application/json"), body);
    try {
      JsonNode r = JsonText.PLAIN.readTree(answer);
      if (r.path("errcode").asInt(0) != 0) {
        // the robot's own errmsg is remote text: admins only
        throw new DeliveryException("the WeCom robot refused the message: errcode " + r.path("errcode").asInt(),
            r.path("errmsg").asText(), false);
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
      // a proxy in front of the robot that answers 2xx without JSON: take the 2xx
    }
  }
}
