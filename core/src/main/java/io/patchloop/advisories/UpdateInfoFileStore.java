package io.patchloop.advisories;

import java.io.ByteArrayOutputStream;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The fleet's {@link AdvisoryCatalog} in MySQL, so every worker shares it, with the files the
 * scans of this worker used last kept parsed in memory: a fleet scan reads each file from the
 * database once per worker, not once per host.
 */
@Repository
public class UpdateInfoFileStore implements AdvisoryCatalog {

  private static final Logger log = LoggerFactory.getLogger(UpdateInfoFileStore.class);
  static final int CHUNK_BYTES = 4 << 20;

  private final JdbcClient jdbc;
  private final Clock clock;
  private final long memoryBudgetEntries;
  /** Access order, evicted by package entries against the budget. */
  private final Map<String, UpdateInfoFile> parsed = new LinkedHashMap<>(16, 0.75f, true);
  private long parsedEntries;

  public UpdateInfoFileStore(JdbcClient jdbc, Clock clock,
      @Value("${patchloop.scan.advisory-cache-package-entries:500000}") long memoryBudgetEntries) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.memoryBudgetEntries = memoryBudgetEntries;
  }

  @Override
  public Optional<UpdateInfoFile> find(String checksum) {
    synchronized (this) {
      UpdateInfoFile held = parsed.get(checksum);
      if (held != null) {
        return Optional.of(held);
      }
    }
    Optional<byte[]> stored = read(checksum);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    UpdateInfoFile file;
    try {
      file = UpdateInfoCodec.decode(stored.get());
    } catch (IllegalArgumentException unreadable) {
      // an older or damaged form: the next host that has the file sends it again
      log.warn("stored advisories of {} cannot be read ({}); they will be fetched from a host again", checksum,
          unreadable.getMessage());
      delete(checksum);
      return Optional.empty();
    }
    jdbc.sql("UPDATE updateinfo_files SET last_used_at = ? WHERE checksum = ?")
        .params(Timestamp.from(clock.instant()), checksum).update();
    hold(checksum, file);
    return Optional.of(file);
  }

  @Override
  @Transactional
  public void save(String checksum, String source, UpdateInfoFile file) {
    byte[] bytes = UpdateInfoCodec.encode(file);
    int chunks = Math.max(1, (bytes.length + CHUNK_BYTES - 1) / CHUNK_BYTES);
    Timestamp now = Timestamp.from(clock.instant());
    try {
      // the header first: a concurrent save of the same file stops here, before writing any chunk
      jdbc.sql("INSERT INTO updateinfo_files (checksum, advisories, package_entries, dropped, stored_bytes, chunk_count,"
              + " source, first_seen_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(checksum, file.advisories().size(), file.packageEntries(), file.dropped(), bytes.length, chunks,
              source.length() > 300 ? source.substring(0, 300) : source, now, now)
          .update();
    } catch (DuplicateKeyException alreadyThere) {
      hold(checksum, file);
      return;
    }
    for (int i = 0; i < chunks; i++) {
      byte[] chunk = Arrays.copyOfRange(bytes, i * CHUNK_BYTES, Math.min(bytes.length, (i + 1) * CHUNK_BYTES));
      jdbc.sql("INSERT INTO updateinfo_file_chunks (checksum, seq, content) VALUES (?, ?, ?)")
          .params(checksum, i, chunk).update();
    }
    log.info("stored the advisories of {} ({} advisories, {} KiB) from {}", checksum, file.advisories().size(),
        bytes.length / 1024, source);
    hold(checksum, file);
  }

  /**
   * The checksums of the files scans used last, newest first, at most {@code limit}: what an agent
   * need not read itself (a file used longer ago is read by the agent again, filtered, as if new).
   * A file held in a worker's memory is marked used when it is read from the database, so the
   * order is by that, not by every single use.
   */
  public List<String> recentlyUsedChecksums(int limit) {
    return jdbc.sql("SELECT checksum FROM updateinfo_files ORDER BY last_used_at DESC, checksum LIMIT ?")
        .param(limit).query(String.class).list();
  }

  /**
   * Drops the files held parsed in this process's memory: the next scan reads the database (a
   * benchmark's cold start; after rows were deleted by hand).
   */
  public synchronized void forgetHeldInMemory() {
    parsed.clear();
    parsedEntries = 0;
  }

  private Optional<byte[]> read(String checksum) {
    Optional<Integer> chunks = jdbc.sql("SELECT chunk_count FROM updateinfo_files WHERE checksum = ?").param(checksum)
        .query(Integer.class).optional();
    if (chunks.isEmpty()) {
      return Optional.empty();
    }
    List<byte[]> parts = jdbc.sql("SELECT content FROM updateinfo_file_chunks WHERE checksum = ? ORDER BY seq")
        .param(checksum).query((rs, n) -> rs.getBytes(1)).list();
    if (parts.size() != chunks.get()) {
      return Optional.empty(); // being written by another worker's transaction: not there yet for us
    }
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    parts.forEach(whole::writeBytes);
    return Optional.of(whole.toByteArray());
  }

  private void delete(String checksum) {
    jdbc.sql("DELETE FROM updateinfo_file_chunks WHERE checksum = ?").param(checksum).update();
    jdbc.sql("DELETE FROM updateinfo_files WHERE checksum = ?").param(checksum).update();
    synchronized (this) {
      UpdateInfoFile gone = parsed.remove(checksum);
      if (gone != null) {
        parsedEntries -= gone.packageEntries();
      }
    }
  }

  private synchronized void hold(String checksum, UpdateInfoFile file) {
    if (parsed.containsKey(checksum)) {
      return;
    }
    parsed.put(checksum, file);
    parsedEntries += file.packageEntries();
    var eldest = parsed.entrySet().iterator();
    // the file just used stays, even alone above the budget: the next host of its repository needs it too
    while (parsedEntries > memoryBudgetEntries && parsed.size() > 1) {
      var e = eldest.next();
      parsedEntries -= e.getValue().packageEntries();
      eldest.remove();
    }
  }
}
