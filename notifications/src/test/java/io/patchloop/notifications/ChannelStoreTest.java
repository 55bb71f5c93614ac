package io.patchloop.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.common.ConflictException;
import io.patchloop.common.InvalidInputException;
import io.patchloop.store.StoreTestApplication;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = StoreTestApplication.class)
class ChannelStoreTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "channelstore");
  }

  @Autowired ChannelStore channels;
  @Autowired JdbcClient jdbc;

  static ChannelSpec sms(String name, Map<String, String> headers) {
    return new ChannelSpec(name, ChannelType.SMS, null, null, new ChannelSpec.Sms("https://sms.example.com/send", null,
        headers, "{\"to\":{{recipients}},\"text\":{{message}}}", List.of("+8613800000000")), null);
  }

  @Test
  void secretsAreStoredEncryptedNeverShownAndKeptWhenAnUpdateLeavesThemOut() {
    NotificationChannel robot = channels.create(new ChannelSpec("robot", ChannelType.WECOM, null,
        new ChannelSpec.WeCom("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=robot-key-123"), null, null));
    NotificationChannel gateway = channels.create(sms("gateway", Map.of("Authorization", "Bearer token-456")));

    String raw = jdbc.sql("SELECT CONCAT(settings, secret) FROM notification_channels").query(String.class).list()
        .toString();
    assertThat(raw).doesNotContain("robot-key-123", "token-456");
    assertThat(robot.wecom().webhookUrl()).isEqualTo("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?********");
    assertThat(gateway.sms().headers()).containsEntry("Authorization", ChannelSpec.MASK);

    channels.update(gateway.id(), sms("gateway", Map.of("Authorization", ChannelSpec.MASK, "X-Tenant", "ops")));
    assertThat(channels.withSecrets(gateway.id()).sms().headers())
        .containsEntry("Authorization", "Bearer token-456").containsEntry("X-Tenant", "ops");
    channels.update(robot.id(), new ChannelSpec("robot", ChannelType.WECOM, null, new ChannelSpec.WeCom(null), null,
        null));
    assertThat(channels.withSecrets(robot.id()).wecom().webhookUrl()).endsWith("key=robot-key-123");
  }

  @Test
  void badChannelsAreRefusedWithEveryField() {
    assertThatThrownBy(() -> channels.create(new ChannelSpec("mail", ChannelType.EMAIL, new ChannelSpec.Email(
        "smtp example", 70000, "SSL", null, "pw", "not-an-address", List.of("ops@example.com", "x")), null, null, null)))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
            .extracting(p -> p.field()).containsExactlyInAnyOrder("email.host", "email.port", "email.security",
                "email.from", "email.recipients[1]", "email.username"));
    assertThatThrownBy(() -> channels.create(new ChannelSpec("two", ChannelType.WEBHOOK, null,
        new ChannelSpec.WeCom("https://x.example.com"), null, new ChannelSpec.Webhook("https://x.example.com", "k"))))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.problems().get(0).reason()).contains("and no other"));
    assertThatThrownBy(() -> channels.create(sms("crlf", Map.of("X-Evil", "a\r\nInjected: yes"))))
        .isInstanceOf(InvalidInputException.class);
    NotificationChannel get = channels.create(new ChannelSpec("gateway-get", ChannelType.SMS, null, null,
        new ChannelSpec.Sms("https://sms.example.com/send?to={{recipients}}&text={{message}}", "GET", null, null,
            List.of("+8613800000000")), null));
    assertThat(get.sms().method()).as("placeholders in a GET gateway's URL are fine").isEqualTo("GET");
    channels.create(sms("dup", null));
    assertThatThrownBy(() -> channels.create(sms("dup", null))).isInstanceOf(ConflictException.class);
  }

  static ChannelSpec mail(String host, Integer port, String security, String username, String password,
      List<String> recipients) {
    return new ChannelSpec("moving-mail", ChannelType.EMAIL, new ChannelSpec.Email(host, port, security, username, password,
        "patchloop@example.com", recipients), null, null, null);
  }

  static ChannelSpec gateway(String url, String method, Map<String, String> headers) {
    return new ChannelSpec("moving-gateway", ChannelType.SMS, null, null, new ChannelSpec.Sms(url, method, headers,
        "{\"to\":{{recipients}},\"text\":{{message}}}", List.of("+8613800000000")), null);
  }

  static ChannelSpec hook(String url, String secret) {
    return new ChannelSpec("moving-hook", ChannelType.WEBHOOK, null, null, null, new ChannelSpec.Webhook(url, secret));
  }

  /** The one problem of a refused update, as field: reason. */
  static String refusal(Runnable update) {
    try {
      update.run();
    } catch (InvalidInputException e) {
      assertThat(e.problems()).hasSize(1);
      return e.problems().get(0).field() + ": " + e.problems().get(0).reason();
    }
    throw new AssertionError("the update was accepted");
  }

  @Test
  void aStoredSmtpPasswordIsKeptOnlyWhileHostPortAndSecurityStayTheSame() {
    long id = channels.create(mail("smtp.example.com", 587, "STARTTLS", "u", "S3cret!", List.of("ops@example.com")))
        .id();
    String before = jdbc.sql("SELECT CONCAT(settings, secret) FROM notification_channels WHERE id = ?").param(id)
        .query(String.class).single();

    // the review's M3: the same channel pointed at another server, the password left out or masked
    for (ChannelSpec elsewhere : List.of(
        mail("127.0.0.1", 2525, "NONE", "u", null, List.of("ops@example.com")),
        mail("smtp.example.com", 2525, "STARTTLS", "u", null, List.of("ops@example.com")),
        mail("smtp.example.com", 587, "NONE", "u", ChannelSpec.MASK, List.of("ops@example.com")),
        mail("mail.example.com", 587, "STARTTLS", "u", null, List.of("ops@example.com")))) {
      assertThat(refusal(() -> channels.update(id, elsewhere))).as(elsewhere.email().toString())
          .startsWith("email.password: must be sent again: the SMTP server (host, port or security) changed");
    }
    assertThat(jdbc.sql("SELECT CONCAT(settings, secret) FROM notification_channels WHERE id = ?").param(id)
        .query(String.class).single()).as("the refused updates changed nothing").isEqualTo(before);
    assertThat(channels.withSecrets(id).email().host()).isEqualTo("smtp.example.com");
    assertThat(channels.withSecrets(id).email().password()).isEqualTo("S3cret!");

    // the same server (a host name's case and a default port written out are no change): kept without re-entry
    channels.update(id, mail("SMTP.example.com", null, null, "u", null, List.of("ops@example.com", "oncall@example.com")));
    assertThat(channels.withSecrets(id).email().password()).isEqualTo("S3cret!");
    assertThat(channels.withSecrets(id).email().recipients()).containsExactly("ops@example.com", "oncall@example.com");

    // another server with the password typed again: accepted
    channels.update(id, mail("127.0.0.1", 2525, "NONE", "u", "other-password", List.of("ops@example.com")));
    assertThat(channels.withSecrets(id).email().password()).isEqualTo("other-password");

    // another server without sign-in: the password stays behind, so it cannot follow a later change of user
    channels.update(id, mail("relay.example.com", 25, "NONE", null, null, List.of("ops@example.com")));
    assertThat(channels.withSecrets(id).email().password()).isNull();
    channels.update(id, mail("relay.example.com", 25, "NONE", "u", null, List.of("ops@example.com")));
    assertThat(channels.withSecrets(id).email().password()).isNull();
  }

  @Test
  void storedSmsHeaderValuesAreKeptOnlyWhileTheGatewayUrlAndMethodStayTheSame() {
    long id = channels.create(gateway("https://sms.example.com/send", null,
        Map.of("Authorization", "Bearer token-456", "X-Tenant", "ops"))).id();

    assertThat(refusal(() -> channels.update(id, gateway("http://127.0.0.1:18999/", "POST",
        Map.of("Authorization", ChannelSpec.MASK, "X-Tenant", "ops")))))
        .isEqualTo("sms.headers: the value of 'Authorization' must be sent again: the gateway (URL or method)"
            + " changed, and a stored header value is only kept for the gateway it was given for");
    assertThat(refusal(() -> channels.update(id, gateway("https://sms.example.com/send", "PUT",
        Map.of("Authorization", ChannelSpec.MASK, "X-Tenant", ChannelSpec.MASK))))).as("a new method")
        .contains("'Authorization'").contains("'X-Tenant'");
    assertThat(refusal(() -> channels.update(id, gateway("http://127.0.0.1:18999/", null, null))))
        .as("headers left out mean 'keep them all'").contains("'Authorization'").contains("'X-Tenant'");
    assertThat(channels.withSecrets(id).sms().url()).isEqualTo("https://sms.example.com/send");
    assertThat(channels.withSecrets(id).sms().headers()).containsEntry("Authorization", "Bearer token-456");

    // same gateway ("POST" is the default written out): masked values keep the stored ones
    channels.update(id, gateway("https://sms.example.com/send", "POST",
        Map.of("Authorization", ChannelSpec.MASK, "X-Tenant", "dev")));
    assertThat(channels.withSecrets(id).sms().headers()).containsEntry("Authorization", "Bearer token-456")
        .containsEntry("X-Tenant", "dev");

    // the mask for a header that has no stored value: nothing to keep, so refused rather than sent as "********"
    assertThat(refusal(() -> channels.update(id, gateway("https://sms.example.com/send", "POST",
        Map.of("Authorization", ChannelSpec.MASK, "X-Api-Key", ChannelSpec.MASK)))))
        .isEqualTo("sms.headers: the value of 'X-Api-Key' is given as ********, but none is stored to keep:"
            + " give the value itself");

    // another gateway with every header given again: accepted
    channels.update(id, gateway("https://sms2.example.com/send", "POST", Map.of("Authorization", "Bearer new-789")));
    assertThat(channels.withSecrets(id).sms().headers()).containsExactlyEntriesOf(Map.of("Authorization", "Bearer new-789"));
  }

  @Test
  void aStoredWebhookSecretIsKeptOnlyWhileTheUrlStaysTheSame() {
    long id = channels.create(hook("https://itsm.example.com/hook", "0123456789abcdef-secret")).id();

    assertThat(refusal(() -> channels.update(id, hook("http://127.0.0.1:18999/", null))))
        .isEqualTo("webhook.secret: must be sent again: the URL changed, and a stored secret is only kept for the"
            + " URL it was given for");
    assertThat(refusal(() -> channels.update(id, hook("https://itsm.example.com/hook2", ChannelSpec.MASK))))
        .startsWith("webhook.secret: must be sent again");
    assertThat(channels.withSecrets(id).webhook().url()).isEqualTo("https://itsm.example.com/hook");

    channels.update(id, hook("https://itsm.example.com/hook", null));
    assertThat(channels.withSecrets(id).webhook().secret()).isEqualTo("0123456789abcdef-secret");
    channels.update(id, hook("http://127.0.0.1:18999/", "another-secret-0123456789"));
    assertThat(channels.withSecrets(id).webhook().secret()).isEqualTo("another-secret-0123456789");
  }

  @Test
  void theWebhookSignatureIsHmacSha256AsRfc4231Computes() {
    // RFC 4231, test case 2
    assertThat(WebhookSender.signature("Jefe", "what do ya want for nothing?"))
        .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
}
