package io.patchloop.notifications;

/** How a message leaves Patchloop. */
public enum ChannelType {
  /** SMTP through jakarta.mail. */
  EMAIL,
  /** A WeCom (WeChat Work) group robot's webhook, markdown message. */
  WECOM,
  /** An SMS gateway that takes an HTTP call: URL, method, headers and a body template. */
  SMS,
  /** A JSON POST of the event, signed with HMAC-SHA256. */
  WEBHOOK
}
