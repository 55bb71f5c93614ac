package io.patchloop.advisories;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A catalog held by one process, for the agent (which has no database: it reads its own host's
 * few repositories) and for tests. Keeps the {@code capacity} most recently used files.
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
