package io.patchloop.credentials;

import java.time.Instant;

/** A stored SSH private key as the API shows it: never the key itself. */
public record Credential(
    long id, String name, String description, String keyType, long usedByHosts, Instant createdAt, Instant updatedAt) {}
