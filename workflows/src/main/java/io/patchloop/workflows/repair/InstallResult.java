package io.patchloop.workflows.repair;

import io.patchloop.inventory.HostInventory;
import java.util.Map;

/**
 * What installing a repair plan left on the host.
 *
 * @param failures advisory id to the package manager's error, for each patch that did not install
 * @param after the host's inventory read right after installing
 */
public record InstallResult(Map<String, String> failures, HostInventory after) {}
