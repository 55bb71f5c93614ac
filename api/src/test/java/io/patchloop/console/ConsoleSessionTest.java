package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console's session over real HTTPS (a self-signed certificate made with keytool for this
 * run): the cookie is Secure, and the session ends after patchloop.console.idle-timeout (3 s here)
 * without a request of the person's own, even while a page keeps polling; a request of the
 * person's own keeps it alive.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleSessionTest {

  static final Duration IDLE = Duration.ofSeconds(3);
  static final String PASSWORD = "changeit-console-tls";
  static Path keystore;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws Exception {
    ApiTestProperties.register(registry, "consolesession", ApiTestProperties.EVERY_ROLE);
    keystore = selfSignedKeystore();
    registry.add("patchloop.console.idle-timeout", () -> IDLE.toSeconds() + "s");
    registry.add("server.ssl.enabled", () -> "true");
    registry.add("server.ssl.key-store", () -> keystore.toUri().toString());
    registry.add("server.ssl.key-store-password", () -> PASSWORD);
    registry.add("server.ssl.key-store-type", () -> "PKCS12");
    registry.add("server.ssl.key-alias", () -> "console");
  }

  /** A PKCS12 keystore with a certificate for 127.0.0.1, from the JDK's keytool. */
  static Path selfSignedKeystore() throws IOException, InterruptedException {
    Path dir = Files.createDirectories(Path.of("target", "console-tls"));
    Path file = dir.resolve("console-" + ProcessHandle.current().pid() + ".p12");
    Files.deleteIfExists(file);
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "console", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
        "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as("keytool: " + output).isTrue();
    return file.toAbsolutePath();
  }

  @LocalServerPort int port;

  ConsoleHttpClient browser() throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      trusted.load(in, PASSWORD.toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return new ConsoleHttpClient("https://127.0.0.1:" + port, ssl);
  }

  static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis());
  }

  @Test
  void overHttpsTheSessionCookieIsSecure() throws Exception {
    ConsoleHttpClient browser = browser();
    var signedIn = browser.signIn(ApiTestProperties.VIEWER);
    assertThat(signedIn.statusCode()).isEqualTo(302);
    assertThat(ConsoleHttpClient.sessionCookie(signedIn)).contains("Secure").contains("HttpOnly").contains("SameSite=Strict");
    assertThat(browser.get("/console").statusCode()).isEqualTo(200);
  }

  @Test
  void pollingDoesNotKeepAnIdleSessionAlive() throws Exception {
    ConsoleHttpClient browser = browser();
    browser.signIn(ApiTestProperties.OPERATOR);
    long signedInAt = System.nanoTime();
    assertThat(browser.get("/console").statusCode()).as("the person's last request of their own").isEqualTo(200);
    // the dashboard's live part, as console.js sends it: every half second, longer than the idle time
    int served = 0;
    var poll = browser.get("/console/running-tickets", "HX-Request", "true", ConsoleIdleTimeout.POLL_HEADER, "true");
    while (poll.statusCode() == 200 && System.nanoTime() - signedInAt < IDLE.multipliedBy(4).toNanos()) {
      served++;
      sleep(Duration.ofMillis(500));
      poll = browser.get("/console/running-tickets", "HX-Request", "true", ConsoleIdleTimeout.POLL_HEADER, "true");
    }
    Duration lasted = Duration.ofNanos(System.nanoTime() - signedInAt);
    assertThat(served).as("polls are served while the session lives").isGreaterThanOrEqualTo(2);
    assertThat(poll.statusCode()).as("a poll after the idle time (session lasted %s)", lasted).isEqualTo(401);
    assertThat(lasted).isGreaterThanOrEqualTo(IDLE).isLessThan(IDLE.multipliedBy(3));
    assertThat(poll.headers().firstValue("HX-Redirect")).as("htmx goes to the sign-in page").hasValue("/console/sign-in?ended");
    var page = browser.get("/console");
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/console/sign-in?ended");
    assertThat(browser.get("/console/sign-in?ended").body()).contains("Your session has ended");
    assertThat(browser.signIn(ApiTestProperties.OPERATOR).headers().firstValue("Location").orElseThrow())
        .as("signed in again: to a page, not to the live part's fragment").doesNotContain("running-tickets");
  }

  @Test
  void aPageAfterTheIdleTimeLandsOnTheSignInPageAndAFormIsNotRefusedAs403() throws Exception {
    ConsoleHttpClient browser = browser();
    browser.signIn(ApiTestProperties.OPERATOR);
    String csrf = browser.csrf("/console/hosts");
    sleep(IDLE.plusMillis(500));
    var page = browser.follow("/console/hosts");
    assertThat(browser.hops.get(0).headers().firstValue("Location").orElseThrow()).endsWith("/console/sign-in?ended");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Your session has ended").contains("name=\"token\"");

    ConsoleHttpClient former = browser();
    former.signIn(ApiTestProperties.OPERATOR);
    String formCsrf = former.csrf("/console/tickets/new?operation=SCAN");
    sleep(IDLE.plusMillis(500));
    var sent = former.post("/console/tickets", Map.of("operation", "SCAN", "_csrf", formCsrf));
    assertThat(sent.statusCode()).as("a form sent after its session ended goes to the sign-in page").isEqualTo(302);
    assertThat(sent.headers().firstValue("Location").orElseThrow()).endsWith("/console/sign-in?ended");
    assertThat(csrf).isNotBlank();
  }

  @Test
  void requestsOfThePersonsOwnKeepTheSessionAlive() throws Exception {
    ConsoleHttpClient browser = browser();
    browser.signIn(ApiTestProperties.VIEWER);
    long start = System.nanoTime();
    for (String page : List.of("/console", "/console/hosts", "/console/tickets", "/console", "/console/hosts",
        "/console/tickets", "/console", "/console/hosts")) {
      sleep(Duration.ofMillis(800));
      assertThat(browser.get(page).statusCode()).as(page + " after %s ms", (System.nanoTime() - start) / 1_000_000).isEqualTo(200);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("longer than the idle time in all").isGreaterThan(IDLE.multipliedBy(2));
  }
}
