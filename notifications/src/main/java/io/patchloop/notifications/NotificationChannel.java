package io.patchloop.notifications;

import java.time.Instant;

/** A stored channel as the API shows it: its settings with every secret masked. */
public record NotificationChannel(long id, String name, ChannelType type, ChannelSpec.Email email,
    ChannelSpec.WeCom wecom, ChannelSpec.Sms sms, ChannelSpec.Webhook webhook, Instant createdAt, Instant updatedAt) {}
