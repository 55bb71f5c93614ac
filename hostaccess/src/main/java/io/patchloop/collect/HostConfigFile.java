package io.patchloop.collect;

/**
 * A package-manager configuration file as the host sent it: its absolute path, its mtime (epoch
 * seconds, the host's clock) and its content.
 */
public record HostConfigFile(String path, long mtimeEpochSeconds, String content) {}
