package io.patchloop.advisories;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A catalog held by one process, without a database: for tests and tools that scan a few hosts.
 * Keeps the {@code capacity} most recently used files. (The agent uses none: see
 * {@code RpmCollector.withoutCatalog}.)
 */
public final class InMemoryAdvisoryCatalog implements AdvisoryCatalog {

  private final Map<String, UpdateInfoFile> files;

  public InMemoryAdvisoryCatalog(int capacity) {
    this.files = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, UpdateInfoFile> eldest) {
        return size() > capacity;
      }
    };
  }

  @Override
  public synchronized Optional<UpdateInfoFile> find(String checksum) {
    return Optional.ofNullable(files.get(checksum));
  }

  @Override
  public synchronized void save(String checksum, String source, UpdateInfoFile file) {
    files.putIfAbsent(checksum, file);
  }
}
