package io.patchloop.tickets;

import io.patchloop.common.OsFamily;
import io.patchloop.hosts.Host;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.SuspensionSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A ticket as the API takes it. Hosts by {@code hostIds} or by {@code selector}; a null baseline
 * means each host's OS default baseline.
 */
public record TicketSpec(
    Operation operation,
    List<Long> hostIds,
    Selector selector,
    Long baselineId,
    BatchSpec batch,
    Integer concurrency,
    SuspensionSpec suspension,
    Instant startAt,
    RebootOption rebootOption,
    Integer rebootTimeoutSeconds,
    String externalRef,
    Callback callback) {

  /**
   * Where to POST once when the ticket ends; with a {@code secret}, the POST is signed like a
   * webhook channel's ({@code X-Patchloop-Signature: sha256=<hex HMAC-SHA256(secret, body)>}).
   */
  public record Callback(String url, String secret) {}

  /** A ticketing system's reference such as CHG0031337. */
  public static final java.util.regex.Pattern EXTERNAL_REF = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/#-]{0,63}");

  /**
   * Hosts that carry every given tag and the OS family, or {@code all}; {@code complianceStatus}
   * narrows either to hosts whose newest report says so (under the ticket's baseline when it names one).
   */
  public record Selector(Map<String, String> tags, OsFamily osFamily, Boolean all,
      Host.ComplianceStatus complianceStatus) {}

  public static final int DEFAULT_CONCURRENCY = 5;
  public static final int MAX_CONCURRENCY = 100;
  public static final int DEFAULT_REBOOT_TIMEOUT_SECONDS = 600;
  public static final int MIN_REBOOT_TIMEOUT_SECONDS = 30;
  public static final int MAX_REBOOT_TIMEOUT_SECONDS = 7200;
}
