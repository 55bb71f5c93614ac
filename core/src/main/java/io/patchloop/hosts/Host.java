package io.patchloop.hosts;

import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import java.time.Instant;
import java.util.Map;

/**
 * A registered host. {@code complianceStatus} comes from its newest report: COMPLIANT,
 * NON_COMPLIANT, or UNKNOWN before any scan. {@code agent} is the status of its Patchloop agent:
 * set for AGENT hosts, and for any host an agent has reported from; null otherwise.
 */
public record Host(
    long id,
    String name,
    String address,
    int port,
    String username,
    String keyPath,
    String credentialName,
    OsFamily osFamily,
    Scenario scenario,
    Map<String, String> tags,
    ComplianceStatus complianceStatus,
    Instant lastScannedAt,
    LastError lastError,
    Instant createdAt,
    Instant updatedAt,
    AccessMode access,
    AgentStatus agent) {

  /** Why the newest attempt to scan or repair the host failed; null after a success. */
  public record LastError(String kind, String message, Instant at) {}

  public enum ComplianceStatus {
    COMPLIANT,
    NON_COMPLIANT,
    UNKNOWN
  }
}
