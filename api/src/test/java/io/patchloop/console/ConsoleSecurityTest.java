package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.api.ApiTestProperties;
import io.patchloop.api.ApiApplication;
import io.patchloop.testing.http.ApiClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console's security rules over real HTTP (Tomcat writes the session cookie, so its flags are
 * the ones a browser gets), against a real MariaDB: sign-in with an API token, the cookie's flags,
 * CSRF on every form, roles on every POST, sign-out, and the bearer API unchanged beside it.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleSecurityTest {

  static final String ADMIN = ApiTestProperties.ADMIN;
  static final String OPERATOR = ApiTestProperties.OPERATOR;
  static final String VIEWER = ApiTestProperties.VIEWER;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "consolesec", ApiTestProperties.EVERY_ROLE);
  }

  @LocalServerPort int port;
  ApiClient api;

  @BeforeEach
  void hosts() {
    api = new ApiClient("http://127.0.0.1:" + port, ADMIN);
    if (api.get("/api/v1/hosts?size=500").json().get("total").asInt() == 0) {
      var created = api.post("/api/v1/hosts", ApiClient.json(Map.of("name", "web-1", "address", "127.0.0.1",
          "port", 2201, "keyPath", "/keys/lab", "osFamily", "HCE", "tags", Map.of("zone", "az1"))));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }
  }

  @Test
  void pagesWantASignInAndATokenSignsIn() {
    ConsoleHttpClient browser = new ConsoleHttpClient(port);
    var anonymous = browser.get("/console/hosts");
    assertThat(anonymous.statusCode()).isEqualTo(302);
    assertThat(anonymous.headers().firstValue("Location").orElseThrow()).endsWith("/console/sign-in");

    var wrong = browser.signIn("not-a-token-of-this-platform-at-all");
    assertThat(wrong.headers().firstValue("Location").orElseThrow()).endsWith("/console/sign-in?error");
    assertThat(browser.get("/console/sign-in?error").body()).contains("That token is not valid");

    String before = browser.session();
    var signedIn = browser.signIn(VIEWER);
    assertThat(signedIn.statusCode()).isEqualTo(302);
    assertThat(browser.session()).as("a new session id after sign-in (no session fixation)").isNotEqualTo(before);
    String cookie = signedIn.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("PATCHLOOP_SESSION=")).findFirst().orElseThrow();
    assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/")
        .as("plain HTTP here: Secure only when the request came over HTTPS").doesNotContain("Secure");

    var hosts = browser.get("/console/hosts");
    assertThat(hosts.statusCode()).isEqualTo(200);
    assertThat(hosts.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self';").contains("style-src 'self';").contains("frame-ancestors 'none'");
    assertThat(hosts.body()).contains("web-1").contains("ops-viewer");
  }

  @Test
  void withoutAnIssuerThereIsNoSingleSignOnAndForwardedHeadersAreNotTrusted() {
    ConsoleHttpClient browser = new ConsoleHttpClient(port);
    var page = browser.get("/console/sign-in", "X-Forwarded-Proto", "https");
    assertThat(page.body()).contains("name=\"token\"").doesNotContain("sign-in-oidc").doesNotContain("Sign in with");
    String cookie = page.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("PATCHLOOP_SESSION=")).findFirst().orElseThrow();
    assertThat(cookie).as("X-Forwarded-Proto is ignored unless server.forward-headers-strategy says otherwise")
        .doesNotContain("Secure");
    var start = browser.get("/console/oauth2/authorization/oidc");
    assertThat(start.statusCode()).isEqualTo(302);
    assertThat(start.headers().firstValue("Location").orElseThrow()).as("no provider to go to").endsWith("/console/sign-in");
  }

  @Test
  void anHtmxPollAfterTheSessionEndedIsSentToTheSignInPage() throws Exception {
    var poll = new ConsoleHttpClient(port).get("/console/running-tickets", "HX-Request", "true");
    assertThat(poll.statusCode()).isEqualTo(401);
    assertThat(poll.headers().firstValue("HX-Redirect")).hasValue("/console/sign-in");
  }

  @Test
  void aViewerSeesNoTicketButtonsAndItsPostIsRefused() {
    ConsoleHttpClient viewer = new ConsoleHttpClient(port);
    viewer.signIn(VIEWER);
    assertThat(viewer.get("/console/hosts").body()).doesNotContain("scan-selected").doesNotContain("repair-selected");
    assertThat(viewer.get("/console/tickets").body()).doesNotContain("new-ticket");
    long hostId = api.get("/api/v1/hosts").json().get("items").get(0).get("id").asLong();
    var forged = viewer.post("/console/tickets", Map.of("operation", "SCAN", "hostIds", Long.toString(hostId),
        "_csrf", viewer.csrf("/console/hosts")));
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("Your role may not POST /console/tickets");
    assertThat(viewer.post("/console/tickets/any-ticket/pause", Map.of("_csrf", viewer.csrf("/console/hosts")))
        .statusCode()).isEqualTo(403);
    assertThat(api.get("/api/v1/tickets").json().get("total").asInt()).as("no ticket was started").isZero();

    ConsoleHttpClient operator = new ConsoleHttpClient(port);
    operator.signIn(OPERATOR);
    assertThat(operator.get("/console/hosts").body()).contains("scan-selected").contains("repair-selected");
  }

  @Test
  void changesToHostsCredentialsBaselinesAndChannelsAreAnAdminsOnly() {
    ConsoleHttpClient operator = new ConsoleHttpClient(port);
    operator.signIn(OPERATOR);
    String csrf = operator.csrf("/console/hosts");
    for (String path : List.of("/console/hosts", "/console/hosts/1/delete", "/console/credentials",
        "/console/baselines", "/console/baselines/1", "/console/notifications/channels",
        "/console/notifications/channels/1/test", "/console/notifications/subscriptions")) {
      var forged = operator.post(path, Map.of("name", "x", "_csrf", csrf));
      assertThat(forged.statusCode()).as("an operator's POST " + path).isEqualTo(403);
      assertThat(forged.body()).contains("Your role may not POST " + path);
    }
    assertThat(api.get("/api/v1/hosts").json().get("total").asInt()).as("nothing was added").isEqualTo(1);
  }

  @Test
  void aFormWithoutItsCsrfTokenIsRefused() {
    ConsoleHttpClient operator = new ConsoleHttpClient(port);
    operator.signIn(OPERATOR);
    long hostId = api.get("/api/v1/hosts").json().get("items").get(0).get("id").asLong();
    var noToken = operator.post("/console/tickets", Map.of("operation", "SCAN", "hostIds", Long.toString(hostId)));
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.body()).contains("CSRF token is missing or stale");
    var wrongToken = operator.post("/console/tickets/x/pause", Map.of("_csrf", "not-the-token"));
    assertThat(wrongToken.statusCode()).isEqualTo(403);
    assertThat(new ConsoleHttpClient(port).post("/console/sign-in", Map.of("token", ADMIN)).statusCode())
        .as("the sign-in form needs its token too (no login CSRF)").isEqualTo(403);
  }

  @Test
  void signOutEndsTheSession() {
    ConsoleHttpClient browser = new ConsoleHttpClient(port);
    browser.signIn(ADMIN);
    String session = browser.session();
    assertThat(browser.get("/console").statusCode()).isEqualTo(200);
    var out = browser.post("/console/sign-out", Map.of("_csrf", browser.csrf("/console")));
    assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/console/sign-in?signedOut");
    assertThat(browser.get("/console/sign-in?signedOut").body()).contains("You are signed out");
    browser.session(session);
    assertThat(browser.get("/console").statusCode()).as("the old session cookie no longer signs in").isEqualTo(302);
  }

  @Test
  void theBearerApiStaysStatelessAndIgnoresTheConsoleCookie() throws Exception {
    ConsoleHttpClient browser = new ConsoleHttpClient(port);
    browser.signIn(ADMIN);
    var withCookieOnly = browser.get("/api/v1/hosts");
    assertThat(withCookieOnly.statusCode()).as("a session cookie is no API credential").isEqualTo(401);
    var bearer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/hosts"))
        .header("Authorization", "Bearer " + OPERATOR).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bearer.statusCode()).isEqualTo(200);
    assertThat(bearer.headers().allValues("Set-Cookie")).as("the API makes no session").isEmpty();
    // a POST without any CSRF token still works with a bearer token
    var created = api.as(OPERATOR).post("/api/v1/tickets/preview", ApiClient.json(Map.of("operation", "SCAN",
        "hostIds", List.of(api.get("/api/v1/hosts").json().get("items").get(0).get("id").asLong()))));
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
  }

  @Test
  void pagesRenderAndBadInputIsAMessageNotAStackTrace() {
    ConsoleHttpClient browser = new ConsoleHttpClient(port);
    browser.signIn(ADMIN);
    long hostId = api.get("/api/v1/hosts").json().get("items").get(0).get("id").asLong();
    for (String page : List.of("/console", "/console/hosts", "/console/hosts/" + hostId, "/console/tickets",
        "/console/tickets/new?operation=SCAN&hostIds=" + hostId)) {
      var r = browser.get(page);
      assertThat(r.statusCode()).as(page).isEqualTo(200);
    }
    assertThat(browser.get("/console/hosts/" + hostId).body()).contains("never been scanned");
    assertThat(browser.get("/webjars/htmx.org/dist/htmx.min.js").statusCode()).as("htmx from its WebJar").isEqualTo(200);

    var badTag = browser.get("/console/hosts?tag=nocolon");
    assertThat(badTag.statusCode()).isEqualTo(400);
    assertThat(badTag.body()).contains("must be key:value").doesNotContain("Exception").doesNotContain("\tat ");
    var badStatus = browser.get("/console/hosts?complianceStatus=MAYBE");
    assertThat(badStatus.statusCode()).isEqualTo(400);
    assertThat(badStatus.body()).contains("complianceStatus").doesNotContain("Exception");
    assertThat(browser.get("/console/hosts/999999").statusCode()).isEqualTo(404);
    assertThat(browser.get("/console/tickets/no-such-ticket").statusCode()).isEqualTo(404);

    // a repair of a host never scanned: the form again, with the service's reason
    var refused = browser.post("/console/tickets", Map.of("operation", "REPAIR", "hostIds", Long.toString(hostId),
        "concurrency", "5", "_csrf", browser.csrf("/console/tickets/new")));
    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.body()).contains("form-problems").contains("web-1").doesNotContain("Exception");
  }
}
