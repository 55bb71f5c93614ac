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

  @Test
  void theWebhookSignatureIsHmacSha256AsRfc4231Computes() {
    // RFC 4231, test case 2
    assertThat(WebhookSender.signature("Jefe", "what do ya want for nothing?"))
        .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
}
