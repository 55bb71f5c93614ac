package io.patchloop.console;

import io.patchloop.notifications.ChannelSpec;
import io.patchloop.notifications.ChannelType;
import io.patchloop.notifications.NotificationChannel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The console's notification channel form: the settings of the channel's one type, flat, turned
 * into the API's {@link ChannelSpec}, which {@code ChannelStore} checks. Secrets (the SMTP password,
 * the WeCom robot's URL, the webhook's signing secret) are write-only: the form never carries a
 * stored one back, and one left empty keeps the stored value, as a secret left out does in the API.
 * The SMS gateway's headers come back as names with masked values ({@code Authorization: ********}),
 * which keep their stored values when sent back so. As in the API, a kept secret stays with its
 * destination: an edit that changes the SMTP server, the gateway or the webhook URL must type the
 * secrets again, and the form says so under each field.
 */
public class ChannelForm {

  /** The API's name of each form property, for binding errors. */
  static final Map<String, String> API_PATHS = Map.ofEntries(
      Map.entry("emailHost", "email.host"), Map.entry("emailPort", "email.port"),
      Map.entry("emailSecurity", "email.security"), Map.entry("emailUsername", "email.username"),
      Map.entry("emailPassword", "email.password"), Map.entry("emailFrom", "email.from"),
      Map.entry("emailRecipients", "email.recipients"), Map.entry("wecomWebhookUrl", "wecom.webhookUrl"),
      Map.entry("smsUrl", "sms.url"), Map.entry("smsMethod", "sms.method"), Map.entry("smsHeaders", "sms.headers"),
      Map.entry("smsBodyTemplate", "sms.bodyTemplate"), Map.entry("smsRecipients", "sms.recipients"),
      Map.entry("webhookUrl", "webhook.url"), Map.entry("webhookSecret", "webhook.secret"));

  private String name;
  private ChannelType type = ChannelType.WEBHOOK;

  private String emailHost;
  private Integer emailPort;
  private String emailSecurity = "STARTTLS";
  private String emailUsername;
  private String emailPassword;
  private String emailFrom;
  /** One address a line (or comma between). */
  private String emailRecipients;

  private String wecomWebhookUrl;

  private String smsUrl;
  private String smsMethod = "POST";
  /** {@code Name: value}, one a line. */
  private String smsHeaders;
  private String smsBodyTemplate = "{\"to\": {{recipients}}, \"text\": {{message}}}";
  private String smsRecipients;

  private String webhookUrl;
  private String webhookSecret;

  /** A stored channel's form: its plain settings, never a secret. */
  static ChannelForm of(NotificationChannel c) {
    ChannelForm f = new ChannelForm();
    f.name = c.name();
    f.type = c.type();
    if (c.email() != null) {
      f.emailHost = c.email().host();
      f.emailPort = c.email().port();
      f.emailSecurity = c.email().security();
      f.emailUsername = c.email().username();
      f.emailFrom = c.email().from();
      f.emailRecipients = lines(c.email().recipients());
    }
    if (c.sms() != null) {
      f.smsUrl = c.sms().url();
      f.smsMethod = c.sms().method();
      // the store masks every value; a masked value sent back keeps the stored one
      f.smsHeaders = c.sms().headers() == null ? null : c.sms().headers().keySet().stream()
          .map(k -> k + ": " + ChannelSpec.MASK).collect(Collectors.joining("\n"));
      f.smsBodyTemplate = c.sms().bodyTemplate();
      f.smsRecipients = lines(c.sms().recipients());
    }
    if (c.webhook() != null) {
      f.webhookUrl = c.webhook().url();
    }
    return f;
  }

  /**
   * @param editing on an edit, empty headers mean none; on create, none given
   */
  ChannelSpec toSpec(boolean editing) {
    return new ChannelSpec(blank(name) ? null : name.strip(), type,
        type == ChannelType.EMAIL ? new ChannelSpec.Email(text(emailHost), emailPort, text(emailSecurity),
            text(emailUsername), secret(emailPassword), text(emailFrom), list(emailRecipients)) : null,
        type == ChannelType.WECOM ? new ChannelSpec.WeCom(secret(wecomWebhookUrl)) : null,
        type == ChannelType.SMS ? new ChannelSpec.Sms(text(smsUrl), text(smsMethod), headers(smsHeaders, editing),
            blank(smsBodyTemplate) ? null : smsBodyTemplate, list(smsRecipients)) : null,
        type == ChannelType.WEBHOOK ? new ChannelSpec.Webhook(text(webhookUrl), secret(webhookSecret)) : null);
  }

  private static String text(String s) {
    return blank(s) ? null : s.strip();
  }

  /** Empty: keep the stored secret (on create: none given, which the API refuses where one is needed). */
  private static String secret(String s) {
    return blank(s) ? null : s;
  }

  private static List<String> list(String text) {
    if (blank(text)) {
      return List.of();
    }
    return Arrays.stream(text.split("[,\\r\\n]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static String lines(List<String> values) {
    return values == null ? null : String.join("\n", values);
  }

  /** {@code Name: value} lines; a line without a colon is passed on for the API to refuse. */
  private static Map<String, String> headers(String text, boolean editing) {
    if (blank(text)) {
      return editing ? Map.of() : null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line : text.split("\\r?\\n")) {
      if (line.isBlank()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        headers.put(line.strip(), null);
      } else {
        headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
      }
    }
    return headers;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public ChannelType getType() {
    return type;
  }

  public void setType(ChannelType type) {
    this.type = type;
  }

  public String getEmailHost() {
    return emailHost;
  }

  public void setEmailHost(String emailHost) {
    this.emailHost = emailHost;
  }

  public Integer getEmailPort() {
    return emailPort;
  }

  public void setEmailPort(Integer emailPort) {
    this.emailPort = emailPort;
  }

  public String getEmailSecurity() {
    return emailSecurity;
  }

  public void setEmailSecurity(String emailSecurity) {
    this.emailSecurity = emailSecurity;
  }

  public String getEmailUsername() {
    return emailUsername;
  }

  public void setEmailUsername(String emailUsername) {
    this.emailUsername = emailUsername;
  }

  /** Write-only: the form never shows it. */
  public String getEmailPassword() {
    return null;
  }

  public void setEmailPassword(String emailPassword) {
    this.emailPassword = emailPassword;
  }

  public String getEmailFrom() {
    return emailFrom;
  }

  public void setEmailFrom(String emailFrom) {
    this.emailFrom = emailFrom;
  }

  public String getEmailRecipients() {
    return emailRecipients;
  }

  public void setEmailRecipients(String emailRecipients) {
    this.emailRecipients = emailRecipients;
  }

  /** Write-only: the robot's URL carries its key. */
  public String getWecomWebhookUrl() {
    return null;
  }

  public void setWecomWebhookUrl(String wecomWebhookUrl) {
    this.wecomWebhookUrl = wecomWebhookUrl;
  }

  public String getSmsUrl() {
    return smsUrl;
  }

  public void setSmsUrl(String smsUrl) {
    this.smsUrl = smsUrl;
  }

  public String getSmsMethod() {
    return smsMethod;
  }

  public void setSmsMethod(String smsMethod) {
    this.smsMethod = smsMethod;
  }

  /**
   * The headers as typed, or as the store shows them (names with masked values). Never a stored
   * value: {@link #of} builds it from the masked channel only.
   */
  public String getSmsHeaders() {
    return smsHeaders;
  }

  public void setSmsHeaders(String smsHeaders) {
    this.smsHeaders = smsHeaders;
  }

  public String getSmsBodyTemplate() {
    return smsBodyTemplate;
  }

  public void setSmsBodyTemplate(String smsBodyTemplate) {
    this.smsBodyTemplate = smsBodyTemplate;
  }

  public String getSmsRecipients() {
    return smsRecipients;
  }

  public void setSmsRecipients(String smsRecipients) {
    this.smsRecipients = smsRecipients;
  }

  public String getWebhookUrl() {
    return webhookUrl;
  }

  public void setWebhookUrl(String webhookUrl) {
    this.webhookUrl = webhookUrl;
  }

  /** Write-only: the form never shows it. */
  public String getWebhookSecret() {
    return null;
  }

  public void setWebhookSecret(String webhookSecret) {
    this.webhookSecret = webhookSecret;
  }
}
