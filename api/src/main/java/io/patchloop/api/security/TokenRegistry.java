package io.patchloop.api.security;

import io.patchloop.metrics.MetricsProperties;
import io.patchloop.tickets.TicketIdempotencyKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Knows the valid API tokens. It keeps only their SHA-256 digests, so a heap dump or a log line
 * of this object gives no usable token away.
 */
@Component
public class TokenRegistry {

  private static final Logger log = LoggerFactory.getLogger(TokenRegistry.class);
  static final int MIN_TOKEN_LENGTH = 24;

  /** Who a token belongs to. */
  public record Caller(String name, Role role) {}

  private final Map<String, Caller> byDigest = new HashMap<>();
  /** The digest of patchloop.metrics.scrape-token, or null: it opens /actuator/prometheus only. */
  private final String scrapeTokenDigest;

  public TokenRegistry(ApiSecurityProperties properties, MetricsProperties metrics) {
    for (var t : properties.tokens()) {
      if (t.name() == null || t.name().isBlank() || t.role() == null) {
        throw new IllegalStateException("every patchloop.security.tokens entry needs a name and a role: " + t);
      }
      if (t.name().length() > TicketIdempotencyKeys.MAX_OWNER) {
        // the name owns the idempotency keys the token uses, and is stored with them
        throw new IllegalStateException("API token name '" + t.name() + "' is longer than "
            + TicketIdempotencyKeys.MAX_OWNER + " characters");
      }
      if (t.token() == null || t.token().length() < MIN_TOKEN_LENGTH) {
        throw new IllegalStateException("API token '" + t.name() + "' is shorter than " + MIN_TOKEN_LENGTH
            + " characters; use e.g. `openssl rand -base64 32`");
      }
      if (byDigest.put(digest(t.token()), new Caller(t.name(), t.role())) != null) {
        throw new IllegalStateException("API token '" + t.name() + "' repeats another token");
      }
    }
    if (byDigest.isEmpty()) {
      if (!properties.generateAdminToken() || properties.adminTokenFile() == null) {
        throw new IllegalStateException("No API token is configured: set patchloop.security.tokens"
            + " (e.g. PATCHLOOP_SECURITY_TOKENS_0_NAME=ops, PATCHLOOP_SECURITY_TOKENS_0_TOKEN=<secret>,"
            + " PATCHLOOP_SECURITY_TOKENS_0_ROLE=ADMIN)");
      }
      byDigest.put(digest(adminToken(properties.adminTokenFile())), new Caller("admin", Role.ADMIN));
    }
    scrapeTokenDigest = metrics.hasScrapeToken() ? scrapeTokenDigest(metrics.scrapeToken()) : null;
  }

  private String scrapeTokenDigest(String token) {
    if (token.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalStateException("patchloop.metrics.scrape-token is shorter than " + MIN_TOKEN_LENGTH
          + " characters; use e.g. `openssl rand -base64 32`");
    }
    String digest = digest(token);
    if (byDigest.containsKey(digest)) {
      // it would open the API with that token's role, not just the metrics
      throw new IllegalStateException("patchloop.metrics.scrape-token repeats an API token; give Prometheus its own");
    }
    return digest;
  }

  /** Whether this is the metrics scrape token (accepted on /actuator/prometheus and nowhere else). */
  public boolean isScrapeToken(String token) {
    return scrapeTokenDigest != null && MessageDigest.isEqual(
        scrapeTokenDigest.getBytes(StandardCharsets.US_ASCII), digest(token).getBytes(StandardCharsets.US_ASCII));
  }

  public Optional<Caller> lookup(String token) {
    return Optional.ofNullable(byDigest.get(digest(token)));
  }

  /** Reads the standalone admin token, or creates it owner-readable only and prints it this once. */
  private static String adminToken(Path file) {
    try {
      if (Files.exists(file)) {
        String token = Files.readString(file).strip();
        log.info("API admin token: in {} (printed only when it was created)", file.toAbsolutePath());
        return token;
      }
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      String token = "pl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------"))), token + "\n");
      log.warn("""

          ====================================================================
           A new API admin token was generated. It is shown this once:

               {}

           It is kept in {} (mode 600).
           Use it as:  Authorization: Bearer <token>
          ====================================================================""", token, file.toAbsolutePath());
      return token;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or create the admin token file " + file + ": " + e.getMessage(), e);
    }
  }

  static String digest(String token) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
