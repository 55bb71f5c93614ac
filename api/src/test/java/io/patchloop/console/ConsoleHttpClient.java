package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
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
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * A browser stand-in for the console over real HTTP, the one every console test in this module
 * uses. It keeps cookies per host (the console's session cookie, and an OpenID Connect
 * provider's own when a sign-in crosses to it), sends forms with the CSRF token of the console's
 * pages, and follows no redirect by itself: a test sees each step, and {@link #follow(String)}
 * or {@link #follow(HttpResponse)} take the next ones only when asked.
 */
final class ConsoleHttpClient {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final String base;
  private final HttpClient http;
  /** cookies by host:port, then by name */
  private final Map<String, Map<String, String>> cookies = new HashMap<>();
  /** headers sent with every request, as a proxy in front of the console adds them (X-Forwarded-Proto) */
  final Map<String, String> headers = new LinkedHashMap<>();
  /** every response of the last {@link #follow(String)}, in order */
  final List<HttpResponse<String>> hops = new ArrayList<>();

  /** A client of the console on this port of the loopback address, over plain HTTP. */
  ConsoleHttpClient(int port) {
    this("http://127.0.0.1:" + port, null);
  }

  /** A client of the console at {@code base} ("https://127.0.0.1:8443"), trusting {@code ssl}'s certificates if given. */
  ConsoleHttpClient(String base, SSLContext ssl) {
    this.base = base;
    HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER);
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    this.http = builder.build();
  }

  /** A new client, signed in with the token: the sign-in redirects, and not back to the form with an error. */
  static ConsoleHttpClient signedIn(int port, String token) {
    ConsoleHttpClient client = new ConsoleHttpClient(port);
    HttpResponse<String> signedIn = client.signIn(token);
    assertThat(signedIn.statusCode()).as("sign-in").isEqualTo(302);
    assertThat(signedIn.headers().firstValue("Location").orElseThrow()).as("sign-in").doesNotContain("error");
    return client;
  }

  /** The console's session cookie as this client holds it, or null. */
  String session() {
    return cookies.getOrDefault(URI.create(base).getAuthority(), Map.of()).get(ConsoleSession.COOKIE);
  }

  /** Holds this session cookie from now on: a test brings back one that ought to be dead. */
  void session(String value) {
    cookies.computeIfAbsent(URI.create(base).getAuthority(), h -> new HashMap<>()).put(ConsoleSession.COOKIE, value);
  }

  /** A GET of a console path or an absolute URL, with extra headers given as name, value, name, value... */
  HttpResponse<String> get(String pathOrUrl, String... extraHeaders) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathOrUrl)).GET();
    for (int i = 0; i < extraHeaders.length; i += 2) {
      request.header(extraHeaders[i], extraHeaders[i + 1]);
    }
    return send(request);
  }

  /** A page that must answer 200, parsed. */
  Document page(String path) {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
    return Jsoup.parse(response.body());
  }

  /** A urlencoded form, sent as it is (with a {@code _csrf} field only if the test put one in). */
  HttpResponse<String> post(String path, Map<String, String> form) {
    return post(path, List.copyOf(form.entrySet()));
  }

  /** A form whose fields may repeat (ticked boxes, several hostIds), sent in this order. */
  HttpResponse<String> post(String path, List<Map.Entry<String, String>> form) {
    String body = form.stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** A form with this CSRF token added, as the page the token was read from would send it. */
  HttpResponse<String> post(String path, String csrf, Map<String, String> form) {
    Map<String, String> withToken = new LinkedHashMap<>(form);
    withToken.put("_csrf", csrf);
    return post(path, withToken);
  }

  /** A form with the CSRF token of the page {@code csrfPage} (fetched first, as a browser has it). */
  HttpResponse<String> postWithCsrf(String path, Map<String, String> form, String csrfPage) {
    return post(path, csrf(csrfPage), form);
  }

  /**
   * Posts a form with this CSRF token and, as a browser does, follows a redirect: the page it
   * lands on (with its flash message), or the answer itself when it is no redirect (a form shown
   * again with its problems).
   */
  HttpResponse<String> submit(String path, String csrf, Map<String, String> form) {
    HttpResponse<String> response = post(path, csrf, form);
    return response.statusCode() / 100 == 3 ? get(location(response).toString()) : response;
  }

  /**
   * A multipart/form-data form with the CSRF token of {@code csrfPage}: {@code files} maps a field
   * to its file's name and content. Every file goes as text/csv: the only uploads the console
   * takes are the hosts CSV and a private key, and it reads both by their content, not their type.
   */
  HttpResponse<String> multipart(String path, Map<String, String> fields, Map<String, Map.Entry<String, byte[]>> files,
      String csrfPage) {
    String boundary = "----patchloop" + UUID.randomUUID();
    var out = new ByteArrayOutputStream();
    Map<String, String> withToken = new LinkedHashMap<>(fields);
    withToken.put("_csrf", csrf(csrfPage));
    withToken.forEach((name, value) -> out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
        + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
    files.forEach((name, file) -> {
      out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
          + file.getKey() + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(file.getValue());
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    });
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
  }

  /** Where a 302 goes, fetched (one hop): the page a person sees next. */
  HttpResponse<String> follow(HttpResponse<String> redirect) {
    assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
    return get(location(redirect).toString());
  }

  /**
   * GETs a page and follows its redirects (at most 10), across hosts as a browser does (to an
   * OpenID Connect provider and back), to the page they end on; {@link #hops} holds each answer.
   */
  HttpResponse<String> follow(String pathOrUrl) {
    hops.clear();
    URI at = uri(pathOrUrl);
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> response = get(at.toString());
      hops.add(response);
      if (response.statusCode() / 100 != 3 || response.headers().firstValue("Location").isEmpty()) {
        return response;
      }
      at = location(response);
    }
    throw new AssertionError("more than 10 redirects from " + pathOrUrl + ": " + hops);
  }

  /** The CSRF token of a page's forms. */
  String csrf(String path) {
    return csrfOf(get(path).body(), path);
  }

  /** The CSRF token of the forms in a page already fetched. */
  static String csrfOf(String html) {
    return csrfOf(html, "the page");
  }

  private static String csrfOf(String html, String where) {
    Matcher m = CSRF.matcher(html);
    assertThat(m.find()).as("a CSRF field on " + where).isTrue();
    return m.group(1);
  }

  /** The token form, sent with its CSRF token; the answer is the redirect (or 403), not followed. */
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
    // built once only to learn the host, whose cookies go with the request
    String host = request.build().uri().getAuthority();
    headers.forEach(request::header);
    Map<String, String> jar = cookies.getOrDefault(host, Map.of());
    if (!jar.isEmpty()) {
      request.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      keepCookies(host, response);
      return response;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Stores what Set-Cookie says; an empty value or Max-Age=0 (a sign-out) removes the cookie, as a browser does. */
  private void keepCookies(String host, HttpResponse<String> response) {
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
  }

  /** A redirect's Location, which may be relative, against the URL that answered it. */
  private static URI location(HttpResponse<?> redirect) {
    return redirect.uri().resolve(redirect.headers().firstValue("Location").orElseThrow());
  }

  private URI uri(String pathOrUrl) {
    return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
  }
}
