package io.patchloop.collect;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Bytes the collector received from hosts, counted since this process started: what a fleet scan
 * costs on the wire, read by the scan benchmark and logged per host at debug level.
 */
@Component
public class CollectorTraffic {

  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong collections = new AtomicLong();

  /** One host's collection is done; {@code received} bytes came from it (stdout of every command). */
  void recordCollection(long received) {
    bytes.addAndGet(received);
    collections.incrementAndGet();
  }

  /** Bytes received from hosts by every collection so far. */
  public long bytesReceived() {
    return bytes.get();
  }

  /** Host collections finished so far (successful or not, once the host answered). */
  public long collections() {
    return collections.get();
  }
}
