package io.patchloop.notifications;

/**
 * One message, the same for every channel type: a title, a plain-text body (email, SMS), a
 * markdown body (WeCom) and the event as JSON (webhook).
 */
public record Message(NotificationEvent event, String title, String text, String markdown, String payloadJson) {}
