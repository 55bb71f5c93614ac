package io.patchloop.notifications;

import io.patchloop.outbound.OutboundPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.springframework.stereotype.Component;

/**
 * The HTTP calls of the WeCom, SMS and webhook channels and of ticket callbacks. Each call has one
 * deadline ({@code patchloop.outbound.timeout}) for the name lookup, the connection, the answer's
 * headers and its body together; at most {@link #MAX_RESPONSE_BYTES} of an answer are kept and the
 * rest is never read; redirects are not followed; the destination is checked against the
 * {@link OutboundPolicy} on every call. Any non-2xx is a failure.
 */
@Component
public class HttpPoster {

  public static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private final OutboundPolicy policy;
  private final HttpClient client;

  public HttpPoster(OutboundPolicy policy) {
    this.policy = policy;
    // HTTP/1.1 only: no h2c upgrade dance, and the body is read only as far as this class asks for it
    this.client = HttpClient.newBuilder().connectTimeout(policy.timeout()).version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * @return the body of a 2xx answer, its first {@link #MAX_RESPONSE_BYTES} at most
   * @throws ChannelSender.DeliveryException for every way the call can fail, a malformed URL or header included
   */
  public String call(String method, String url, Map<String, String> headers, String body) {
    long deadline = System.nanoTime() + policy.timeout().toNanos();
    URI uri = uri(url);
    HttpRequest request = request(method, uri, headers, body);
    int port = uri.getPort() >= 0 ? uri.getPort() : OutboundPolicy.defaultPort(uri.getScheme());
    // the JVM caches what this resolved and checked, so the connection below goes to one of those addresses
    SendDestination.check(policy, uri.getHost(), port, deadline);
    CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(request, r -> new BoundedBody(MAX_RESPONSE_BYTES));
    HttpResponse<String> response;
    try {
      response = exchange.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true); // since JDK 16, cancel(true) aborts the exchange and closes its connection
      throw timedOut(e);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new ChannelSender.DeliveryException("interrupted", null, e);
    } catch (ExecutionException e) {
      throw failed(e.getCause());
    }
    int status = response.statusCode();
    if (status / 100 != 2) {
      throw new ChannelSender.DeliveryException("answered " + status, response.body(),
          status / 100 == 4 && status != 408 && status != 429);
    }
    return response.body();
  }

  private static URI uri(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      throw new ChannelSender.DeliveryException("the URL is not valid", true);
    }
    if (uri.getHost() == null || !List.of("http", "https").contains(String.valueOf(uri.getScheme()).toLowerCase())) {
      throw new ChannelSender.DeliveryException("the URL is not an http:// or https:// URL with a host", true);
    }
    return uri;
  }

  private HttpRequest request(String method, URI uri, Map<String, String> headers, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(policy.timeout());
    headers.forEach((name, value) -> {
      try {
        b.header(name, value);
      } catch (IllegalArgumentException e) {
        throw new ChannelSender.DeliveryException("the header '" + RemoteText.excerpt(name) + "' cannot be sent", true);
      }
    });
    try {
      if (method.equals("GET")) {
        b.GET();
      } else {
        b.method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body, StandardCharsets.UTF_8));
      }
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ChannelSender.DeliveryException("the request cannot be sent: " + e.getMessage(), true);
    }
  }

  private ChannelSender.DeliveryException timedOut(Exception cause) {
    return new ChannelSender.DeliveryException(SendDestination.timedOut(policy), null, cause);
  }

  /** The short reason for a failed exchange; what the remote end said (a banner in a bad status line) is the detail. */
  private ChannelSender.DeliveryException failed(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException || t instanceof HttpTimeoutException) {
        return timedOut((Exception) t);
      }
      if (t instanceof ConnectException) {
        return new ChannelSender.DeliveryException("connection refused", t.getMessage(), t);
      }
      if (t instanceof ProtocolException) {
        return new ChannelSender.DeliveryException("not an HTTP answer", t.getMessage(), t);
      }
      if (t instanceof SSLException) {
        return new ChannelSender.DeliveryException("TLS failed", t.getMessage(), t);
      }
      if (t instanceof UnknownHostException) {
        return new ChannelSender.DeliveryException("could not resolve the host", t.getMessage(), t);
      }
    }
    if (error instanceof IOException) {
      return new ChannelSender.DeliveryException("the connection failed", error.getMessage(), error);
    }
    return new ChannelSender.DeliveryException("the call failed", String.valueOf(error), error);
  }

  /**
   * Keeps the first {@code max} bytes of a body, asking for one buffer at a time, then cancels its
   * subscription so the rest is never read (an endless body costs {@code max} bytes, not the heap).
   */
  static final class BoundedBody implements HttpResponse.BodySubscriber<String> {

    private final int max;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    BoundedBody(int max) {
      this.max = max;
    }

    @Override
    public CompletionStage<String> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        int n = Math.min(buffer.remaining(), max - kept.size());
        byte[] bytes = new byte[n];
        buffer.get(bytes);
        kept.write(bytes, 0, n);
        if (kept.size() >= max) {
          subscription.cancel();
          result.complete(text());
          return;
        }
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      result.complete(text());
    }

    private String text() {
      return kept.toString(StandardCharsets.UTF_8);
    }
  }
}
