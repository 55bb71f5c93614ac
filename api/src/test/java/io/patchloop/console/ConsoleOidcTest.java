package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import java.util.concurrent.atomic.AtomicBoolean;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console's OpenID Connect sign-in against a real provider (mock-oauth2-server on a loopback
 * port): the whole authorization-code flow over real HTTP, hop by hop, ends signed in with the role
 * the "groups" claim maps to; a person with no mapped group is refused and not signed in; sign-out
 * ends the session; the bearer API knows nothing of it. The platform runs here as behind a TLS
 * proxy (server.forward-headers-strategy=native), so X-Forwarded-Proto: https makes the cookie
 * Secure and the redirect URI https.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleOidcTest {

  static final String ISSUER_ID = "corp";
  static final String CLIENT_ID = "patchloop-console";
  /** Set: the provider's next discovery request is answered 503, as by a provider down for maintenance. */
  static final AtomicBoolean discoveryDown = new AtomicBoolean();
  static final MockOAuth2Server provider = new MockOAuth2Server(new Route() {
    @Override
    public boolean match(OAuth2HttpRequest request) {
      return request.getUrl().encodedPath().endsWith("/.well-known/openid-configuration") && discoveryDown.getAndSet(false);
    }

    @Override
    public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
      return new OAuth2HttpResponse(Headers.of("Content-Type", "text/plain"), 503, "down for maintenance", null);
    }
  });

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    provider.start();
    ApiTestProperties.register(registry, "consoleoidc", ApiTestProperties.EVERY_ROLE);
    registry.add("patchloop.console.oidc.issuer-uri", () -> provider.issuerUrl(ISSUER_ID).toString());
    registry.add("patchloop.console.oidc.client-id", () -> CLIENT_ID);
    registry.add("patchloop.console.oidc.client-secret", () -> "console-secret");
    registry.add("patchloop.console.oidc.provider-name", () -> "Corp SSO");
    registry.add("patchloop.console.oidc.role-mapping[patchloop-admins]", () -> "ADMIN");
    registry.add("patchloop.console.oidc.role-mapping[CN=Ops Admins,OU=Groups]", () -> "ADMIN");
    registry.add("patchloop.console.oidc.role-mapping[patchloop-operators]", () -> "OPERATOR");
    registry.add("patchloop.console.oidc.role-mapping[patchloop-readers]", () -> "VIEWER");
    registry.add("server.forward-headers-strategy", () -> "native");
  }

  @AfterAll
  static void stopProvider() {
    provider.shutdown();
  }

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  ConsoleHttpClient browser() {
    return new ConsoleHttpClient(port);
  }

  /** The provider's next sign-in is this person, with these claims. */
  static void nextPersonIs(String subject, Map<String, Object> claims) {
    provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", List.of(CLIENT_ID), claims, 3600));
  }

  /** Clicks "Sign in with Corp SSO" and follows every redirect, through the provider and back. */
  static HttpResponse<String> signInAtProvider(ConsoleHttpClient browser) {
    var signInPage = browser.get("/console/sign-in");
    assertThat(signInPage.body()).contains("Sign in with Corp SSO").contains("href=\"/console/oauth2/authorization/oidc\"")
        .as("the token form stays beside it").contains("name=\"token\"");
    return browser.follow("/console/oauth2/authorization/oidc");
  }

  static String query(URI uri, String name) {
    for (String pair : uri.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals(name)) {
        return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("no " + name + " in " + uri);
  }

  /** First: the platform started without reading the provider, so its first answer is the one read now. */
  @Test
  @Order(1)
  void aProviderThatCannotBeReadAtTheFirstSignInIsAMessageAndTheNextSignInTriesAgain() {
    ConsoleHttpClient browser = browser();
    discoveryDown.set(true);
    var refused = signInAtProvider(browser);
    assertThat(discoveryDown).as("the discovery document was asked for").isFalse();
    assertThat(browser.hops.get(0).headers().firstValue("Location").orElseThrow()).endsWith("/console/sign-in?oidcError");
    assertThat(refused.body()).contains("id=\"oidc-error\"")
        .contains("Patchloop could not reach Corp SSO to start the sign-in").doesNotContain("Exception");

    nextPersonIs("frank-0008", Map.of("preferred_username", "frank", "groups", List.of("patchloop-readers")));
    assertThat(signInAtProvider(browser).body()).as("the provider is read again").contains(">frank<").contains(">viewer<");
  }

  @Test
  void theAuthorizationCodeFlowSignsInWithTheRoleTheGroupsClaimMapsTo() {
    ConsoleHttpClient browser = browser();
    assertThat(browser.get("/console/hosts").headers().firstValue("Location").orElseThrow()).endsWith("/console/sign-in");
    nextPersonIs("alice-0001", Map.of("preferred_username", "alice", "groups", List.of("staff", "patchloop-operators")));
    String before = browser.session();

    var landed = signInAtProvider(browser);

    // console -> provider's authorization endpoint -> console's callback -> the page first asked for
    URI toProvider = URI.create(browser.hops.get(0).headers().firstValue("Location").orElseThrow());
    assertThat(toProvider.toString()).startsWith(provider.authorizationEndpointUrl(ISSUER_ID).toString());
    assertThat(query(toProvider, "client_id")).isEqualTo(CLIENT_ID);
    assertThat(query(toProvider, "redirect_uri")).isEqualTo("http://127.0.0.1:" + port + "/console/oauth2/code/oidc");
    assertThat(query(toProvider, "scope")).contains("openid");
    URI callback = URI.create(browser.hops.get(1).headers().firstValue("Location").orElseThrow());
    assertThat(callback.getPath()).isEqualTo("/console/oauth2/code/oidc");
    assertThat(URI.create(browser.hops.get(2).headers().firstValue("Location").orElseThrow()).getPath())
        .as("back where the person wanted to go").isEqualTo("/console/hosts");
    assertThat(ConsoleHttpClient.sessionCookie(browser.hops.get(2))).contains("HttpOnly").doesNotContain("Secure")
        .as("Lax with OpenID Connect: a Strict cookie would not come back from the provider's site").contains("SameSite=Lax");
    assertThat(browser.session()).as("a new session id after sign-in").isNotEqualTo(before);

    assertThat(landed.statusCode()).isEqualTo(200);
    assertThat(landed.body()).contains("id=\"signed-in-as\"").contains(">alice<").contains(">operator<")
        .as("an operator's buttons").contains("scan-selected");
    // an operator may not do an admin's POST
    String csrf = browser.csrf("/console/hosts");
    browser.headers.put("X-Request-Id", "oidc-forged-post");
    var forged = browser.post("/console/hosts", Map.of("name", "x", "_csrf", csrf));
    assertThat(forged.statusCode()).isEqualTo(403);
    // the audit log names the person as the console does: the provider's user-name claim, else the subject
    assertThat(jdbc.sql("SELECT CONCAT(actor, ' ', role, ' ', outcome) FROM audit_events WHERE request_id = ?")
        .param("oidc-forged-post").query(String.class).single()).isEqualTo("alice OPERATOR DENIED");
  }

  @Test
  void severalMappedGroupsGiveTheHighestRoleAndANameFallsBackToTheSubject() {
    ConsoleHttpClient browser = browser();
    // a mapping's key in [brackets] is kept as written: capitals, spaces, '=' and ','
    nextPersonIs("bob-0002", Map.of("groups", List.of("patchloop-readers", "CN=Ops Admins,OU=Groups")));
    var landed = signInAtProvider(browser);
    assertThat(landed.statusCode()).isEqualTo(200);
    assertThat(landed.body()).contains(">bob-0002<").contains(">admin<");

    ConsoleHttpClient reader = browser();
    nextPersonIs("carol-0003", Map.of("preferred_username", "carol", "groups", "patchloop-readers"));
    assertThat(signInAtProvider(reader).body()).as("a claim of one string").contains(">carol<").contains(">viewer<")
        .doesNotContain("scan-selected");
  }

  @Test
  void aPersonWithNoMappedGroupIsRefusedAndNotSignedIn() {
    ConsoleHttpClient browser = browser();
    nextPersonIs("mallory-0004", Map.of("preferred_username", "mallory", "groups", List.of("staff", "contractors")));
    var refused = signInAtProvider(browser);
    assertThat(discoveryDown).as("the discovery document was asked for").isFalse();
    assertThat(browser.hops.get(browser.hops.size() - 2).headers().firstValue("Location").orElseThrow())
        .endsWith("/console/sign-in?oidcError");
    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.body()).contains("id=\"oidc-error\"")
        .contains("You signed in at Corp SSO as mallory, but that account has no Patchloop role")
        .contains("&#39;groups&#39; claim").doesNotContain("signed-in-as");
    assertThat(browser.get("/console").statusCode()).as("not signed in, not even as a viewer").isEqualTo(302);
    assertThat(browser.get("/console/sign-in?oidcError").body()).as("the message is shown once").doesNotContain("oidc-error");

    ConsoleHttpClient noClaim = browser();
    nextPersonIs("trent-0005", Map.of("preferred_username", "trent"));
    assertThat(signInAtProvider(noClaim).body()).contains("as trent, but that account has no Patchloop role");
    assertThat(noClaim.get("/console").statusCode()).isEqualTo(302);
  }

  @Test
  void signOutEndsTheSingleSignOnSession() {
    ConsoleHttpClient browser = browser();
    nextPersonIs("dave-0006", Map.of("preferred_username", "dave", "groups", List.of("patchloop-admins")));
    assertThat(signInAtProvider(browser).body()).contains(">dave<");
    String session = browser.session();
    var out = browser.signOut();
    assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/console/sign-in?signedOut");
    browser.session(session);
    assertThat(browser.get("/console").statusCode()).as("the old session cookie no longer signs in").isEqualTo(302);
  }

  @Test
  void theBearerApiIgnoresTheSingleSignOnSessionAndHasNoSignInEndpoints() {
    ConsoleHttpClient browser = browser();
    nextPersonIs("erin-0007", Map.of("preferred_username", "erin", "groups", List.of("patchloop-admins")));
    assertThat(signInAtProvider(browser).body()).contains(">erin<");
    var withCookie = browser.get("/api/v1/hosts");
    assertThat(withCookie.statusCode()).as("a signed-in admin's session cookie is no API credential").isEqualTo(401);
    assertThat(withCookie.headers().allValues("Set-Cookie")).isEmpty();
    // Spring's default OAuth2 login paths are not served: the API's chain answers them, without a redirect
    for (String path : List.of("/oauth2/authorization/oidc", "/login/oauth2/code/oidc?code=x&state=y", "/api/v1/oauth2/authorization/oidc")) {
      assertThat(browser.get(path).statusCode()).as(path).isEqualTo(401);
    }
    assertThat(browser.get("/api/v1/hosts", "Authorization", "Bearer " + ApiTestProperties.VIEWER).statusCode()).isEqualTo(200);
  }

  @Test
  void behindATlsProxyTheCookieIsSecureAndTheRedirectUriHttps() {
    ConsoleHttpClient plain = browser();
    assertThat(ConsoleHttpClient.sessionCookie(plain.get("/console/sign-in"))).doesNotContain("Secure");

    ConsoleHttpClient proxied = browser();
    proxied.headers.put("X-Forwarded-Proto", "https");
    proxied.headers.put("X-Forwarded-Host", "patchloop.example.com");
    proxied.headers.put("X-Forwarded-Port", "443");
    assertThat(ConsoleHttpClient.sessionCookie(proxied.get("/console/sign-in"))).contains("Secure").contains("HttpOnly");
    assertThat(proxied.get("/console/hosts").headers().firstValue("Location").orElseThrow())
        .isEqualTo("https://patchloop.example.com/console/sign-in");
    var toProvider = proxied.get("/console/oauth2/authorization/oidc");
    assertThat(query(URI.create(toProvider.headers().firstValue("Location").orElseThrow()), "redirect_uri"))
        .isEqualTo("https://patchloop.example.com/console/oauth2/code/oidc");
    var signedIn = proxied.signIn(ApiTestProperties.VIEWER);
    assertThat(ConsoleHttpClient.sessionCookie(signedIn)).contains("Secure");
  }
}
