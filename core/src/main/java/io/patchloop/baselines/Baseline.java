package io.patchloop.baselines;

import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import java.time.Instant;
import java.util.List;

/** A stored patch baseline. Built-in baselines are seeded on first start, one default per seed OS. */
public record Baseline(
    long id,
    String name,
    String description,
    Scenario scenario,
    OsFamily os,
    List<ApprovalRule> rules,
    List<String> approvedPatches,
    ComplianceLevel approvedPatchesComplianceLevel,
    List<String> rejectedPatches,
    RejectedPatchesAction rejectedPatchesAction,
    boolean defaultForOs,
    boolean builtIn,
    Instant createdAt,
    Instant updatedAt) {}
