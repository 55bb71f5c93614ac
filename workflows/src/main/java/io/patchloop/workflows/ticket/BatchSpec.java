package io.patchloop.workflows.ticket;

/**
 * How a ticket splits its hosts into batches that run one after the other.
 *
 * @param size FIXED: hosts per batch
 * @param percent PERCENT: share of all hosts per batch; AUTO: the largest share of any tag group one batch may hold
 * @param tagKey AUTO: the tag whose values form the groups (zone, app) that must never be all in one batch
 */
public record BatchSpec(Strategy strategy, Integer size, Integer percent, String tagKey) {

  public enum Strategy {
    /** One batch with every host. */
    NONE,
    FIXED,
    PERCENT,
    /** Batches sized so no tag group is ever all in one batch (the blast radius). */
    AUTO
  }

  public static BatchSpec none() {
    return new BatchSpec(Strategy.NONE, null, null, null);
  }

  /** AUTO's default largest share of a tag group per batch. */
  public static final int DEFAULT_AUTO_PERCENT = 50;
}
