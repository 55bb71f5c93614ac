package io.patchloop.hostaccess;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * SSH settings of the platform.
 *
 * @param hostKeyPolicy what to do with a host key never seen before
 * @param connectTimeout TCP connect and SSH handshake
 * @param maxOutputBytes stdout kept per command; more is cut and the result marked truncated
 */
@ConfigurationProperties("patchloop.ssh")
public record SshProperties(
    @DefaultValue("TRUST_ON_FIRST_USE") HostKeyPolicy hostKeyPolicy,
    @DefaultValue("10s") Duration connectTimeout,
    @DefaultValue("67108864") int maxOutputBytes) {}
