package io.patchloop.notifications;

import io.patchloop.common.Problems;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A notification channel as the API takes it: a name, a type and the settings object of that type.
 * Secrets (the SMTP password, the WeCom robot URL, which carries its key, the SMS gateway's header
 * values, the webhook signing secret) are stored encrypted and never returned; on update, a secret
 * left out (or given as {@link #MASK}) keeps the stored one, but only while the channel's destination
 * stays the same (SMTP host, port and security; SMS gateway URL and method; webhook URL): an update
 * that changes it must send the secrets again, so a stored secret never follows a channel elsewhere.
 */
public record ChannelSpec(String name, ChannelType type, Email email, WeCom wecom, Sms sms, Webhook webhook) {

  public static final String MASK = "********";
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}");
  static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?");
  static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}");
  static final Pattern PHONE = Pattern.compile("\\+?[0-9]{5,20}");
  static final Pattern HEADER = Pattern.compile("[A-Za-z0-9-]{1,64}");
  static final int MAX_RECIPIENTS = 50;
  static final int MAX_URL_LENGTH = 2000;
  static final int MAX_HOST_LENGTH = 254;
  static final int MAX_EMAIL_LENGTH = 320;
  static final int MAX_USERNAME_LENGTH = 255;
  static final int MAX_PASSWORD_LENGTH = 1024;
  static final int MAX_HEADERS = 20;
  static final int MAX_HEADER_VALUE_LENGTH = 1024;
  /** A text message's body; the stored settings (TEXT, 64 KB) hold it with every other field. */
  static final int MAX_BODY_TEMPLATE_LENGTH = 8192;

  /** @param security NONE, STARTTLS (default) or TLS */
  public record Email(String host, Integer port, String security, String username, String password, String from,
      List<String> recipients) {

    int portOrDefault() {
      return port != null ? port : "TLS".equals(security) ? 465 : "NONE".equals(security) ? 25 : 587;
    }

    String securityOrDefault() {
      return security == null ? "STARTTLS" : security;
    }
  }

  /** @param webhookUrl the robot's address, {@code https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...} */
  public record WeCom(String webhookUrl) {}

  /**
   * @param method POST (default), PUT or GET
   * @param bodyTemplate the request body; {@code {{message}}} becomes the message and
   *     {@code {{recipients}}} the numbers, each as a JSON value (a string and an array of strings)
   */
  public record Sms(String url, String method, Map<String, String> headers, String bodyTemplate,
      List<String> recipients) {}

  /** @param secret signs each POST: header {@code X-Patchloop-Signature: sha256=<hex HMAC-SHA256 of the body>} */
  public record Webhook(String url, String secret) {}

  /** @param existing the stored channel on update (its secrets may be kept), null on create */
  Problems validate(boolean secretsStored) {
    Problems p = new Problems();
    p.matches("name", name, NAME, "must be 1-128 letters, digits, spaces, '.', '_' or '-'");
    if (!p.required("type", type)) {
      return p;
    }
    int given = (email != null ? 1 : 0) + (wecom != null ? 1 : 0) + (sms != null ? 1 : 0) + (webhook != null ? 1 : 0);
    String key = type.name().toLowerCase();
    if (given != 1 || settingsOf(type) == null) {
      p.add(key, "give the settings of a " + type + " channel under '" + key + "', and no other");
      return p;
    }
    switch (type) {
      case EMAIL -> {
        Problems e = p.nested("email");
        if (e.maxLength("host", email.host(), MAX_HOST_LENGTH)) {
          e.matches("host", email.host(), HOST, "must be a host name or address");
        }
        e.range("port", email.port(), 1, 65535);
        if (email.security() != null && !List.of("NONE", "STARTTLS", "TLS").contains(email.security())) {
          e.add("security", "must be one of [NONE, STARTTLS, TLS]");
        }
        if (e.maxLength("from", email.from(), MAX_EMAIL_LENGTH)) {
          e.matches("from", email.from(), EMAIL, "must be an email address");
        }
        e.maxLength("username", email.username(), MAX_USERNAME_LENGTH);
        e.maxLength("password", email.password(), MAX_PASSWORD_LENGTH);
        recipients(e, email.recipients(), EMAIL, MAX_EMAIL_LENGTH, "an email address");
        if (email.password() != null && email.username() == null) {
          e.add("username", "is required with a password");
        }
      }
      case WECOM -> url(p.nested("wecom"), "webhookUrl", wecom.webhookUrl(), secretsStored);
      case SMS -> {
        Problems s = p.nested("sms");
        // a GET gateway takes {{message}} and {{recipients}} in its URL: check the URL they make
        if (s.maxLength("url", sms.url(), MAX_URL_LENGTH)) {
          url(s, "url", sms.url() == null ? null
              : sms.url().replace("{{message}}", "m").replace("{{recipients}}", "r"), false);
        }
        if (sms.method() != null && !List.of("POST", "PUT", "GET").contains(sms.method())) {
          s.add("method", "must be one of [POST, PUT, GET]");
        }
        if (sms.headers() != null && sms.headers().size() > MAX_HEADERS) {
          s.add("headers", "at most " + MAX_HEADERS + " headers");
        } else if (sms.headers() != null) {
          sms.headers().forEach((k, v) -> {
            if (k.length() > 64 || (v != null && v.length() > MAX_HEADER_VALUE_LENGTH)) {
              s.add("headers", "header names must be at most 64 characters and values at most "
                  + MAX_HEADER_VALUE_LENGTH);
            } else if (!HEADER.matcher(k).matches() || v == null || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
              s.add("headers", "header '" + k + "' is not a valid name: value pair");
            }
          });
        }
        if (!"GET".equals(sms.method())) {
          s.required("bodyTemplate", sms.bodyTemplate());
        }
        if (s.maxLength("bodyTemplate", sms.bodyTemplate(), MAX_BODY_TEMPLATE_LENGTH)
            && sms.bodyTemplate() != null && !sms.bodyTemplate().contains("{{message}}")) {
          s.add("bodyTemplate", "must contain {{message}}");
        }
        recipients(s, sms.recipients(), PHONE, 21, "a phone number such as +8613800000000");
      }
      case WEBHOOK -> {
        Problems w = p.nested("webhook");
        url(w, "url", webhook.url(), false);
        if (!(secretsStored && (webhook.secret() == null || MASK.equals(webhook.secret())))) {
          if (webhook.secret() == null || webhook.secret().length() < 16 || webhook.secret().length() > 256) {
            w.add("secret", "must be 16 to 256 characters (it signs every request)");
          }
        }
      }
    }
    return p;
  }

  Object settingsOf(ChannelType t) {
    return switch (t) {
      case EMAIL -> email;
      case WECOM -> wecom;
      case SMS -> sms;
      case WEBHOOK -> webhook;
    };
  }

  private static void url(Problems p, String field, String value, boolean mayKeepStored) {
    if (mayKeepStored && (value == null || MASK.equals(value))) {
      return;
    }
    p.httpUrl(field, value, MAX_URL_LENGTH);
  }

  private static void recipients(Problems p, List<String> list, Pattern pattern, int maxLength, String what) {
    if (list == null || list.isEmpty() || list.size() > MAX_RECIPIENTS) {
      p.add("recipients", "must list 1 to " + MAX_RECIPIENTS + " recipients");
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      if (p.maxLength("recipients[" + i + "]", list.get(i), maxLength)
          && (list.get(i) == null || !pattern.matcher(list.get(i)).matches())) {
        p.add("recipients[" + i + "]", "must be " + what);
      }
    }
  }
}
