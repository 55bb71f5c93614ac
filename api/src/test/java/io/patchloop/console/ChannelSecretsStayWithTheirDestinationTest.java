package io.patchloop.console;

import static io.patchloop.console.ConsoleHttpClient.csrfOf;
import static io.patchloop.console.PlanAndNotificationPagesTest.fieldError;
import static io.patchloop.console.PlanAndNotificationPagesTest.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.notifications.ChannelSpec;
import io.patchloop.notifications.ChannelStore;
import io.patchloop.notifications.WebhookSender;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.http.RecordingHttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Review M3 ("an admin can exfiltrate stored channel secrets"), reproduced over real HTTP: an admin
 * points a channel that holds a secret at a server of their own, leaves the secret out (or sends it
 * back masked) and presses "test". The update is refused, 400 naming the secret, and the stored
 * channel is unchanged; with the secret typed again it is accepted. An edit that keeps the
 * destination (a name, the recipients) still keeps the secrets without re-entry.
 *
 * <p>Real parts: two GreenMail SMTP servers on loopback (the channel's own, which only lets its user
 * in with the right password, and an "attacker's" that lets anyone in and so records every password
 * it is sent), a recording HTTP server for the SMS gateway and webhook receiver, MariaDB.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChannelSecretsStayWithTheirDestinationTest {

  static final String MAIL_USER = "patchloop";
  static final String MAIL_PASSWORD = "S3cret!-smtp-7788";
  static final String GATEWAY_TOKEN = "Bearer gateway-token-9911";
  static final String WEBHOOK_SECRET = "webhook-signing-secret-4242";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "channelsecrets", ApiTestProperties.EVERY_ROLE);
  }

  static GreenMail ownSmtp;
  static GreenMail attackerSmtp;

  @BeforeAll
  static void startSmtpServers() throws IOException {
    ownSmtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    ownSmtp.setUser("patchloop@example.com", MAIL_USER, MAIL_PASSWORD);
    ownSmtp.start();
    // authentication off: GreenMail then takes any login and keeps the user with the password it was sent
    attackerSmtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
    attackerSmtp.start();
  }

  @AfterAll
  static void stopSmtpServers() {
    ownSmtp.stop();
    attackerSmtp.stop();
  }

  @Autowired ChannelStore channelStore;
  @Autowired JdbcClient jdbc;
  @LocalServerPort int port;

  ApiClient api;
  RecordingHttpServer http;

  @BeforeEach
  void setUp() throws Exception {
    api = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
    jdbc.sql("DELETE FROM notification_channels").update();
    ownSmtp.purgeEmailFromAllMailboxes();
    attackerSmtp.purgeEmailFromAllMailboxes();
    List.copyOf(attackerSmtp.getUserManager().listUser()).forEach(attackerSmtp.getUserManager()::deleteUser);
    http = new RecordingHttpServer();
  }

  @AfterEach
  void tearDown() {
    http.close();
  }

  // ---------------------------------------------------------------- email

  @Test
  void anEmailChannelPointedAtAnotherSmtpServerMustBeGivenItsPasswordAgain() throws Exception {
    long id = channel(Map.of("name", "ops-mail", "type", "EMAIL", "email",
        email(ownSmtp, MAIL_PASSWORD, List.of("ops@example.com"))));
    String stored = channelJson(id);

    // the review's live test 8: same fields, the attacker's server, security NONE, no password
    var moved = api.put("/api/v1/notification-channels/" + id, ApiClient.json(Map.of("name", "ops-mail", "type", "EMAIL",
        "email", email(attackerSmtp, null, List.of("ops@example.com")))));
    assertThat(problems(moved)).containsExactly(Map.entry("email.password", "must be sent again: the SMTP server"
        + " (host, port or security) changed, and a stored password is only kept for the server it was given for"));
    // masked, as a client that echoes the GET back would send it: the same
    var masked = api.put("/api/v1/notification-channels/" + id, ApiClient.json(Map.of("name", "ops-mail", "type", "EMAIL",
        "email", email(attackerSmtp, ChannelSpec.MASK, List.of("ops@example.com")))));
    assertThat(problems(masked)).containsOnlyKeys("email.password");
    assertThat(channelJson(id)).as("the refused updates changed nothing").isEqualTo(stored);

    // so the test button still logs in to the channel's own server, and the attacker's sees nothing
    assertThat(api.post("/api/v1/notification-channels/" + id + "/test", "").status()).isEqualTo(200);
    assertThat(ownSmtp.waitForIncomingEmail(10_000, 1)).isTrue();
    assertThat(attackerSmtp.getReceivedMessages()).isEmpty();
    assertThat(passwordSentTo(attackerSmtp)).as("no login reached the attacker's server").isNull();

    // an edit that keeps the server (name, recipients) keeps the password without re-entry: the
    // channel's own server, which refuses a wrong password, still lets the test mail in
    var renamed = api.put("/api/v1/notification-channels/" + id, ApiClient.json(Map.of("name", "ops-mail-2",
        "type", "EMAIL", "email", email(ownSmtp, null, List.of("ops@example.com", "oncall@example.com")))));
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    ownSmtp.purgeEmailFromAllMailboxes();
    assertThat(api.post("/api/v1/notification-channels/" + id + "/test", "").status()).isEqualTo(200);
    assertThat(ownSmtp.waitForIncomingEmail(10_000, 2)).as("one test mail to each recipient").isTrue();
    assertThat(channelStore.withSecrets(id).email().password()).isEqualTo(MAIL_PASSWORD);

    // with the password sent again, the move is accepted, and only what was typed reaches the new server
    var movedWithPassword = api.put("/api/v1/notification-channels/" + id, ApiClient.json(Map.of("name", "ops-mail-2",
        "type", "EMAIL", "email", email(attackerSmtp, "typed-again-for-this-server", List.of("ops@example.com")))));
    assertThat(movedWithPassword.status()).as(movedWithPassword.toString()).isEqualTo(200);
    assertThat(movedWithPassword.json().get("email").get("port").asInt()).isEqualTo(attackerSmtp.getSmtp().getPort());
    assertThat(api.post("/api/v1/notification-channels/" + id + "/test", "").status()).isEqualTo(200);
    assertThat(attackerSmtp.waitForIncomingEmail(10_000, 1)).isTrue();
    assertThat(passwordSentTo(attackerSmtp)).isEqualTo("typed-again-for-this-server");
  }

  // ---------------------------------------------------------------- SMS

  @Test
  void anSmsChannelKeepsAMaskedHeaderOnlyWhileItsGatewayUrlAndMethodStayTheSame() {
    long id = channel(Map.of("name", "oncall-sms", "type", "SMS", "sms", sms(http.url("/gateway"), "POST",
        Map.of("Authorization", GATEWAY_TOKEN, "X-Tenant", "ops"), List.of("+8613800000000"))));
    String stored = channelJson(id);

    // the review: the gateway's URL changed to the attacker's, Authorization sent back masked
    var moved = api.put("/api/v1/notification-channels/" + id, ApiClient.json(Map.of("name", "oncall-sms", "type", "SMS",
        "sms", sms(http.url("/attacker"), "POST", Map.of("Authorization", ChannelSpec.MASK, "X-Tenant", "ops"),
            List.of("+8613800000000")))));
    assertThat(problems(moved)).containsExactly(Map.entry("sms.headers", "the value of 'Authorization' must be sent"
        + " again: the gateway (URL or method) changed, and a stored header value is only kept for the gateway it"
        + " was given for"));
    var newMethod = api.put("/api/v1/notification-channels/" + id, ApiClient.json(Map.of("name", "oncall-sms",
        "type", "SMS", "sms", sms(http.url("/gateway"), "PUT", Map.of("Authorization", ChannelSpec.MASK),
            List.of("+8613800000000")))));
    assertThat(problems(newMethod)).containsOnlyKeys("sms.headers");
    var leftOut = new LinkedHashMap<String, Object>(sms(http.url("/attacker"), "POST", null, List.of("+8613800000000")));
    leftOut.remove("headers");
    var headersLeftOut = api.put("/api/v1/notification-channels/" + id, ApiClient.json(Map.of("name", "oncall-sms",
        "type", "SMS", "sms", leftOut)));
    assertThat(problems(headersLeftOut).get("sms.headers")).as("headers left out mean: keep them all")
        .contains("'Authorization'").contains("'X-Tenant'");
    assertThat(channelJson(id)).as("the refused updates changed nothing").isEqualTo(stored);

    assertThat(api.post("/api/v1/notification-channels/" + id + "/test", "").status()).isEqualTo(200);
    assertThat(http.to("/gateway")).singleElement().satisfies(r -> assertThat(r.header("Authorization")).isEqualTo(GATEWAY_TOKEN));
    assertThat(http.to("/attacker")).isEmpty();

    // the same gateway with new recipients: the masked header keeps its value
    var edited = api.put("/api/v1/notification-channels/" + id, ApiClient.json(Map.of("name", "oncall-sms", "type", "SMS",
        "sms", sms(http.url("/gateway"), "POST", Map.of("Authorization", ChannelSpec.MASK),
            List.of("+8613800000000", "+8613900000000")))));
    assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    assertThat(channelStore.withSecrets(id).sms().headers()).containsExactlyEntriesOf(Map.of("Authorization", GATEWAY_TOKEN));

    // another gateway with the header typed again: accepted, and the new value is what it gets
    var movedWithHeader = api.put("/api/v1/notification-channels/" + id, ApiClient.json(Map.of("name", "oncall-sms",
        "type", "SMS", "sms", sms(http.url("/attacker"), "POST", Map.of("Authorization", "Bearer typed-again"),
            List.of("+8613800000000")))));
    assertThat(movedWithHeader.status()).as(movedWithHeader.toString()).isEqualTo(200);
    assertThat(api.post("/api/v1/notification-channels/" + id + "/test", "").status()).isEqualTo(200);
    assertThat(http.to("/attacker")).singleElement()
        .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer typed-again"));
  }

  // ---------------------------------------------------------------- webhook

  @Test
  void aWebhookChannelMovedToAnotherUrlMustBeGivenItsSigningSecretAgain() {
    long id = channel(Map.of("name", "itsm", "type", "WEBHOOK", "webhook",
        Map.of("url", http.url("/hook"), "secret", WEBHOOK_SECRET)));
    String stored = channelJson(id);

    for (Map<String, String> settings : List.of(Map.of("url", http.url("/attacker")),
        Map.of("url", http.url("/attacker"), "secret", ChannelSpec.MASK))) {
      var moved = api.put("/api/v1/notification-channels/" + id, ApiClient.json(Map.of("name", "itsm", "type", "WEBHOOK",
          "webhook", settings)));
      assertThat(problems(moved)).containsExactly(Map.entry("webhook.secret", "must be sent again: the URL changed,"
          + " and a stored secret is only kept for the URL it was given for"));
    }
    assertThat(channelJson(id)).isEqualTo(stored);

    var renamed = api.put("/api/v1/notification-channels/" + id, ApiClient.json(Map.of("name", "itsm-2", "type", "WEBHOOK",
        "webhook", Map.of("url", http.url("/hook")))));
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    assertThat(api.post("/api/v1/notification-channels/" + id + "/test", "").status()).isEqualTo(200);
    RecordingHttpServer.Request signed = http.to("/hook").get(0);
    assertThat(signed.header(WebhookSender.SIGNATURE_HEADER)).isEqualTo(WebhookSender.signature(WEBHOOK_SECRET, signed.body()));

    var moved = api.put("/api/v1/notification-channels/" + id, ApiClient.json(Map.of("name", "itsm-2", "type", "WEBHOOK",
        "webhook", Map.of("url", http.url("/attacker"), "secret", "typed-again-for-this-url"))));
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    assertThat(api.post("/api/v1/notification-channels/" + id + "/test", "").status()).isEqualTo(200);
    RecordingHttpServer.Request there = http.to("/attacker").get(0);
    assertThat(there.header(WebhookSender.SIGNATURE_HEADER))
        .isEqualTo(WebhookSender.signature("typed-again-for-this-url", there.body()))
        .isNotEqualTo(WebhookSender.signature(WEBHOOK_SECRET, there.body()));
  }

  // ---------------------------------------------------------------- console

  @Test
  void theConsoleFormShowsWhichSecretMustBeTypedAgainUnderItsField() {
    long mail = channel(Map.of("name", "ops-mail", "type", "EMAIL", "email",
        email(ownSmtp, MAIL_PASSWORD, List.of("ops@example.com"))));
    long sms = channel(Map.of("name", "oncall-sms", "type", "SMS", "sms", sms("https://sms.example.com/send", "POST",
        Map.of("Authorization", GATEWAY_TOKEN), List.of("+8613800000000"))));
    String storedMail = channelJson(mail);
    String storedSms = channelJson(sms);
    ConsoleHttpClient admin = ConsoleHttpClient.signedIn(port, ApiTestProperties.ADMIN);

    String mailForm = admin.get("/console/notifications/channels/" + mail + "/edit").body();
    assertThat(mailForm).contains("empty keeps it while host, port and security stay").doesNotContain(MAIL_PASSWORD);
    var movedMail = admin.post("/console/notifications/channels/" + mail, csrfOf(mailForm), form("name", "ops-mail",
        "emailHost", "127.0.0.1", "emailPort", Integer.toString(attackerSmtp.getSmtp().getPort()), "emailSecurity", "NONE",
        "emailUsername", MAIL_USER, "emailPassword", "", "emailFrom", "patchloop@example.com",
        "emailRecipients", "ops@example.com"));
    assertThat(movedMail.statusCode()).isEqualTo(200);
    assertThat(fieldError(movedMail.body(), "emailPassword")).startsWith("must be sent again: the SMTP server");
    assertThat(movedMail.body()).doesNotContain(MAIL_PASSWORD);
    assertThat(channelJson(mail)).isEqualTo(storedMail);

    String smsForm = admin.get("/console/notifications/channels/" + sms + "/edit").body();
    assertThat(smsForm).contains("Authorization: ********");
    var movedSms = admin.post("/console/notifications/channels/" + sms, csrfOf(smsForm), form("name", "oncall-sms",
        "smsUrl", http.url("/attacker"), "smsMethod", "POST", "smsHeaders", "Authorization: ********",
        "smsBodyTemplate", "{\"to\": {{recipients}}, \"text\": {{message}}}", "smsRecipients", "+8613800000000"));
    assertThat(movedSms.statusCode()).isEqualTo(200);
    assertThat(fieldError(movedSms.body(), "smsHeaders")).startsWith("the value of 'Authorization' must be sent again");
    assertThat(channelJson(sms)).isEqualTo(storedSms);

    // typed again: saved
    var saved = admin.post("/console/notifications/channels/" + mail, csrfOf(movedMail.body()), form("name", "ops-mail",
        "emailHost", "127.0.0.1", "emailPort", Integer.toString(attackerSmtp.getSmtp().getPort()), "emailSecurity", "NONE",
        "emailUsername", MAIL_USER, "emailPassword", "typed-again", "emailFrom", "patchloop@example.com",
        "emailRecipients", "ops@example.com"));
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
    assertThat(channelStore.withSecrets(mail).email().password()).isEqualTo("typed-again");
  }

  // ---------------------------------------------------------------- helpers

  static Map<String, Object> email(GreenMail server, String password, List<String> recipients) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", "127.0.0.1");
    m.put("port", server.getSmtp().getPort());
    m.put("security", "NONE");
    m.put("username", MAIL_USER);
    if (password != null) {
      m.put("password", password);
    }
    m.put("from", "patchloop@example.com");
    m.put("recipients", recipients);
    return m;
  }

  static Map<String, Object> sms(String url, String method, Map<String, String> headers, List<String> recipients) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", url);
    m.put("method", method);
    m.put("headers", headers);
    m.put("bodyTemplate", "{\"to\": {{recipients}}, \"text\": {{message}}}");
    m.put("recipients", recipients);
    return m;
  }

  long channel(Map<String, Object> body) {
    var created = api.post("/api/v1/notification-channels", ApiClient.json(body));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  /** The stored row, settings and encrypted secrets both: what a refused update must leave as it was. */
  String channelJson(long id) {
    return jdbc.sql("SELECT CONCAT(name, settings, secret, updated_at) FROM notification_channels WHERE id = ?")
        .param(id).query(String.class).single();
  }

  /** A 400 in the problem-details format, its problems as field: reason, with no trace of the server's insides. */
  static Map<String, String> problems(ApiClient.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    Map<String, String> byField = new LinkedHashMap<>();
    for (JsonNode e : r.json().get("errors")) {
      byField.put(e.get("field").asText(), e.get("reason").asText());
    }
    return byField;
  }

  /** The password the channel's user logged in with, or null when none did (recipients' mailboxes are users too). */
  static String passwordSentTo(GreenMail server) {
    GreenMailUser user = server.getUserManager().getUser(MAIL_USER);
    return user == null ? null : user.getPassword();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
