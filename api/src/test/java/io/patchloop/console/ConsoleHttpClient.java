package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * A browser stand-in for the console over real HTTP: keeps the session cookie, follows no
 * redirect (so each step is seen), sends forms with their CSRF token when asked.
 */
final class ConsoleHttpClient {

  static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final int port;
  String session;

  ConsoleHttpClient(int port) {
    this.port = port;
  }

  /** A new client, signed in with the token. */
  static ConsoleHttpClient signedIn(int port, String token) {
    ConsoleHttpClient client = new ConsoleHttpClient(port);
    assertThat(client.signIn(token).statusCode()).as("sign-in").isEqualTo(302);
    return client;
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  /** A page that must answer 200, parsed. */
  Document page(String path) {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
    return Jsoup.parse(response.body());
  }

  HttpResponse<String> post(String path, Map<String, String> form) {
    return post(path, form.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
  }

  /** A form with repeated fields (several hostIds), in order. */
  HttpResponse<String> post(String path, List<Map.Entry<String, String>> form) {
    String body = form.stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
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

  HttpResponse<String> send(HttpRequest.Builder request) {
    if (session != null) {
      request.header("Cookie", "PATCHLOOP_SESSION=" + session);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("PATCHLOOP_SESSION="))
          .findFirst().ifPresent(c -> session = c.substring("PATCHLOOP_SESSION=".length(), c.indexOf(';')));
      return response;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
