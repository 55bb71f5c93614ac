package io.patchloop.notifications;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The HTTP calls of the WeCom, SMS and webhook channels: bounded in time, any non-2xx is a failure. */
@Component
public class HttpPoster {

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER).build();

  /** @return the response body of a 2xx answer */
  public String call(String method, String url, Map<String, String> headers, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
    headers.forEach(b::header);
    if (method.equals("GET")) {
      b.GET();
    } else {
      b.method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body, StandardCharsets.UTF_8));
    }
    HttpResponse<String> response;
    try {
      response = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ChannelSender.DeliveryException(method + " " + host(url) + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChannelSender.DeliveryException("interrupted calling " + host(url), e);
    }
    if (response.statusCode() / 100 != 2) {
      String excerpt = response.body() == null ? "" : response.body().strip();
      throw new ChannelSender.DeliveryException(method + " " + host(url) + " answered " + response.statusCode()
          + (excerpt.isEmpty() ? "" : ": " + (excerpt.length() > 300 ? excerpt.substring(0, 300) + "…" : excerpt)),
          response.statusCode() / 100 == 4 && response.statusCode() != 408 && response.statusCode() != 429);
    }
    return response.body();
  }

  /** Where a call went, without the query string (a WeCom robot's key is there). */
  static String host(String url) {
    return ChannelStore.maskUrl(url);
  }
}
