package io.patchloop.notifications;

import io.patchloop.common.JsonText;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * An SMS gateway reached over HTTP: the channel's method, URL, headers and body template, where
 * {@code {{message}}} becomes the message as a JSON string and {@code {{recipients}}} the numbers as
 * a JSON array (for a GET, both go URL-encoded into the URL instead). The text is the title and a
 * short body: SMS are short.
 */
@Component
public class SmsSender implements ChannelSender {

  static final int MAX_SMS_CHARS = 480;
  private final HttpPoster http;

  public SmsSender(HttpPoster http) {
    this.http = http;
  }

  @Override
  public ChannelType type() {
    return ChannelType.SMS;
  }

  @Override
  public void send(ChannelSpec channel, Message message, long deliveryId) {
    ChannelSpec.Sms sms = channel.sms();
    String text = "Patchloop: " + message.title();
    if (text.length() > MAX_SMS_CHARS) {
      text = text.substring(0, MAX_SMS_CHARS - 1) + "…";
    }
    String method = sms.method() == null ? "POST" : sms.method();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    if (sms.headers() != null) {
      headers.putAll(sms.headers());
    }
    if (method.equals("GET")) {
      String url = sms.url().replace("{{message}}", URLEncoder.encode(text, StandardCharsets.UTF_8))
          .replace("{{recipients}}", URLEncoder.encode(String.join(",", sms.recipients()), StandardCharsets.UTF_8));
      http.call("GET", url, headers, null);
      return;
    }
    String body = sms.bodyTemplate().replace("{{message}}", JsonText.write(text))
        .replace("{{recipients}}", JsonText.write(sms.recipients()));
    http.call(method, sms.url(), headers, body);
  }
}
