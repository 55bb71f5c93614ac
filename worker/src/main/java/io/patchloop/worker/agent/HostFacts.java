package io.patchloop.worker.agent;

import io.patchloop.collect.OsRelease;
import io.patchloop.hostaccess.CommandResult;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.ShellCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an agent says about its host in its reports: enough for a person to see it is the host they think. */
final class HostFacts {

  private static final ShellCommand KERNEL = ShellCommand.constant("uname -r");

  private HostFacts() {}

  static Map<String, String> read(HostSession session) {
    Map<String, String> facts = new LinkedHashMap<>();
    put(facts, "hostname", file("/proc/sys/kernel/hostname"));
    String osRelease = file("/etc/os-release");
    if (osRelease != null) {
      try {
        OsRelease os = OsRelease.parse(osRelease);
        put(facts, "os", os.product());
        put(facts, "osId", os.id());
        put(facts, "osVersion", os.versionId());
      } catch (RuntimeException unreadable) {
        put(facts, "os", "unreadable /etc/os-release");
      }
    }
    try {
      CommandResult kernel = session.run(KERNEL, Duration.ofSeconds(10));
      put(facts, "kernel", kernel.exitStatus() == 0 ? kernel.stdout().strip() : null);
    } catch (RuntimeException e) {
      put(facts, "kernel", null);
    }
    put(facts, "bootId", file("/proc/sys/kernel/random/boot_id"));
    put(facts, "arch", System.getProperty("os.arch"));
    put(facts, "java", System.getProperty("java.runtime.version", System.getProperty("java.version")));
    return facts;
  }

  private static void put(Map<String, String> facts, String key, String value) {
    if (value != null && !value.isBlank()) {
      facts.put(key, value.strip());
    }
  }

  private static String file(String path) {
    try {
      return Files.readString(Path.of(path));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
