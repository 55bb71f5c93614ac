package io.patchloop.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

/**
 * OpenID Connect sign-in and the idle timeout in a real browser against the standalone platform.
 * The provider (mock-oauth2-server) answers on {@code localhost} and the console on
 * {@code 127.0.0.1}: two different sites, as a real provider is, so the browser's SameSite rules
 * for the session cookie apply to the round trip (a Strict cookie fails it, hence Lax with OpenID
 * Connect). The dashboard's live part polls every 5 s and
 * the idle timeout is 8 s: a poll must not keep the session alive.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleSingleSignOnBrowserTest extends ConsoleBrowserSupport {

  static final String ADMIN = "sso-admin-token-0123456789abcdef";
  static final String ISSUER_ID = "corp";
  static final String CLIENT_ID = "patchloop-console";
  static final Duration IDLE = Duration.ofSeconds(8);

  /** With its sign-in form: the person types a name and the claims, as at a real provider. */
  final MockOAuth2Server provider = new MockOAuth2Server(OAuth2Config.Companion.fromJson("{\"interactiveLogin\": true}"));
  TestPlatform platform;

  @BeforeAll
  void start() throws IOException {
    provider.start();
    platform = TestPlatform.startWithTokens(List.of(new TestPlatform.Token("admin", ADMIN, "ADMIN")),
        "--patchloop.console.oidc.issuer-uri=" + provider.issuerUrl(ISSUER_ID),
        "--patchloop.console.oidc.client-id=" + CLIENT_ID,
        "--patchloop.console.oidc.client-secret=console-secret",
        "--patchloop.console.oidc.provider-name=Corp SSO",
        "--patchloop.console.oidc.role-mapping[patchloop-operators]=OPERATOR",
        "--patchloop.console.idle-timeout=" + IDLE.toSeconds() + "s");
    assertThat(provider.issuerUrl(ISSUER_ID).host()).as("the provider on another site than the console").isEqualTo("localhost");
    startBrowser("http://127.0.0.1:" + platform.running.apiPort());
  }

  @AfterAll
  void stop() {
    quitBrowser();
    if (platform != null) {
      platform.close();
    }
    provider.shutdown();
  }

  /** Clicks "Sign in with Corp SSO", signs in at the provider's own page with these claims, and comes back. */
  void signInAtProvider(String subject, String claimsJson) {
    if (!browser.getCurrentUrl().contains("/console/sign-in")) {
      open("/console/sign-in");
    }
    assertThat(text(By.id("sign-in-oidc"))).isEqualTo("Sign in with Corp SSO");
    clickAndLoad(By.id("sign-in-oidc"));
    assertThat(browser.getCurrentUrl()).as("at the provider").startsWith(provider.issuerUrl(ISSUER_ID).toString());
    browser.findElement(By.name("username")).sendKeys(subject);
    browser.findElement(By.name("claims")).sendKeys(claimsJson);
    clickAndLoad(By.cssSelector("input[type=submit]"));
    waitUntil(Duration.ofSeconds(15), () -> !browser.findElements(By.id("signed-in-as")).isEmpty()
        || !browser.findElements(By.id("oidc-error")).isEmpty());
  }

  @Test
  @Order(1)
  void theProvidersButtonSignsInWithTheMappedRole() {
    open("/console/hosts");
    assertThat(browser.getCurrentUrl()).endsWith("/console/sign-in");
    assertThat(browser.findElements(By.id("token"))).as("the token form stays").hasSize(1);
    screenshot("sign-in-oidc");
    signInAtProvider("alice-0001", "{\"preferred_username\": \"alice\", \"groups\": [\"staff\", \"patchloop-operators\"]}");
    assertThat(browser.getCurrentUrl()).as("back where the person wanted to go").contains("127.0.0.1").contains("/console/hosts");
    assertThat(text(By.id("signed-in-as"))).isEqualTo("alice (operator)");
    Cookie session = browser.manage().getCookieNamed("PATCHLOOP_SESSION");
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).as("Lax: a Strict cookie does not come back from the provider's site").isEqualTo("Lax");
    signOut();
  }

  @Test
  @Order(2)
  void aPersonWithNoMappedGroupIsToldWhyAndNotSignedIn() {
    signInAtProvider("mallory-0002", "{\"preferred_username\": \"mallory\", \"groups\": [\"staff\"]}");
    assertThat(text(By.id("oidc-error"))).contains("as mallory, but that account has no Patchloop role");
    assertThat(browser.findElements(By.id("signed-in-as"))).isEmpty();
    screenshot("sign-in-oidc-refused");
    open("/console");
    assertThat(browser.getCurrentUrl()).endsWith("/console/sign-in");
  }

  @Test
  @Order(3)
  void anOpenDashboardThatPollsStillEndsItsSessionAfterTheIdleTime() {
    signInAtProvider("alice-0001", "{\"preferred_username\": \"alice\", \"groups\": [\"patchloop-operators\"]}");
    open("/console");
    long opened = System.nanoTime();
    markPage();
    // the live part polls every 5 s: at 5 s the session lives (the page stays), at 10 s it has idled out
    sleep(Duration.ofSeconds(6));
    assertThat(pageWasNotReloaded()).as("still on the dashboard after its first poll").isTrue();
    assertThat(browser.findElements(By.id("signed-in-as"))).hasSize(1);
    waitUntil(Duration.ofSeconds(20), () -> !browser.findElements(By.id("session-ended")).isEmpty());
    Duration lasted = Duration.ofNanos(System.nanoTime() - opened);
    assertThat(lasted).isGreaterThanOrEqualTo(IDLE);
    assertThat(browser.getCurrentUrl()).endsWith("/console/sign-in?ended");
    assertThat(text(By.id("session-ended"))).contains("Your session has ended");
  }
}
