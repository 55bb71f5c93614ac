package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * A browser stand-in for console tests that cross hosts (the console and an OpenID Connect
 * provider): keeps each host's cookies, sends extra headers it is given (X-Forwarded-Proto), and
 * follows redirects itself, one hop at a time, so a test sees every hop.
 */
final class ConsoleHttpBrowser {

  static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final String base;
  private final HttpClient http;
  /** cookies by host:port, then by name */
  final Map<String, Map<String, String>> cookies = new HashMap<>();
  final Map<String, String> headers = new LinkedHashMap<>();
  /** every response of the last {@link #follow}, in order */
  final List<HttpResponse<String>> hops = new ArrayList<>();

  ConsoleHttpBrowser(String base) {
    this(base, null);
  }

  ConsoleHttpBrowser(String base, SSLContext ssl) {
    this.base = base;
    HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER);
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    this.http = builder.build();
  }

  String session() {
    return cookies.getOrDefault(URI.create(base).getAuthority(), Map.of()).get(ConsoleSession.COOKIE);
  }

  void session(String value) {
    cookies.computeIfAbsent(URI.create(base).getAuthority(), h -> new HashMap<>()).put(ConsoleSession.COOKIE, value);
  }

  HttpResponse<String> get(String pathOrUrl, String... extraHeaders) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathOrUrl)).GET();
    for (int i = 0; i < extraHeaders.length; i += 2) {
      request.header(extraHeaders[i], extraHeaders[i + 1]);
    }
    return send(request);
  }

  HttpResponse<String> post(String path, Map<String, String> form) {
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** GETs a page and follows its redirects (at most 10) to the page they end on. */
  HttpResponse<String> follow(String pathOrUrl) {
    hops.clear();
    URI at = uri(pathOrUrl);
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> response = get(at.toString());
      hops.add(response);
      var location = response.headers().firstValue("Location");
      if (response.statusCode() / 100 != 3 || location.isEmpty()) {
        return response;
      }
      at = at.resolve(location.get());
    }
    throw new AssertionError("more than 10 redirects from " + pathOrUrl + ": " + hops);
  }

  /** The CSRF token of a page's forms. */
  String csrf(String path) {
    Matcher m = CSRF.matcher(get(path).body());
    assertThat(m.find()).as("a CSRF field on " + path).isTrue();
    return m.group(1);
  }

  HttpResponse<String> signIn(String token) {
    return post("/console/sign-in", Map.of("token", token, "_csrf", csrf("/console/sign-in")));
  }

  HttpResponse<String> signOut() {
    return post("/console/sign-out", Map.of("_csrf", csrf("/console")));
  }

  /** The Set-Cookie header of the console's session cookie in a response. */
  static String sessionCookie(HttpResponse<?> response) {
    return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(ConsoleSession.COOKIE + "="))
        .findFirst().orElseThrow(() -> new AssertionError("no session cookie in " + response.headers().map()));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    HttpRequest built = request.build();
    String host = built.uri().getAuthority();
    headers.forEach(request::header);
    Map<String, String> jar = cookies.getOrDefault(host, Map.of());
    if (!jar.isEmpty()) {
      request.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      for (String set : response.headers().allValues("Set-Cookie")) {
        String pair = set.split(";", 2)[0];
        int eq = pair.indexOf('=');
        String name = pair.substring(0, eq).strip();
        String value = pair.substring(eq + 1).strip();
        Map<String, String> hostJar = cookies.computeIfAbsent(host, h -> new HashMap<>());
        if (value.isEmpty() || set.contains("Max-Age=0")) {
          hostJar.remove(name);
        } else {
          hostJar.put(name, value);
        }
      }
      return response;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private URI uri(String pathOrUrl) {
    return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
  }
}
