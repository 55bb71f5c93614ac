package io.patchloop.outbound;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Calls Patchloop makes to addresses its users give it: webhooks, WeCom robots, SMS gateways,
 * ticket callbacks, SMTP servers and the channel tests.
 *
 * @param timeout one deadline per call: name lookup, connect, the answer's headers and its body together
 * @param deny destinations refused on top of the built-in ones (link-local and cloud metadata, the
 *     platform's own database and Temporal): CIDRs, addresses or host names, each optionally with
 *     {@code :port} ({@code [v6]:port} for IPv6)
 * @param allow destinations let through even when a deny rule covers them, in the same forms
 */
@ConfigurationProperties("patchloop.outbound")
public record OutboundProperties(
    @DefaultValue("10s") Duration timeout,
    @DefaultValue List<String> deny,
    @DefaultValue List<String> allow) {

  public OutboundProperties {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("patchloop.outbound.timeout must be positive");
    }
    // an empty environment variable (PATCHLOOP_OUTBOUND_DENY=) means no entries, not one blank one
    deny = deny == null ? List.of() : deny.stream().filter(e -> e != null && !e.isBlank()).toList();
    allow = allow == null ? List.of() : allow.stream().filter(e -> e != null && !e.isBlank()).toList();
  }

  /** The defaults, for code that runs without Spring (tests). */
  public static OutboundProperties defaults() {
    return new OutboundProperties(Duration.ofSeconds(10), List.of(), List.of());
  }
}
