package io.patchloop.workflows.ticket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits a ticket's hosts into batches. Pure and deterministic (workflow code calls it, and the
 * preview must show the same batches the ticket then runs): hosts keep the order they are given.
 */
public final class BatchPlanner {

  /** Hosts without the AUTO strategy's tag form a group of their own under this name. */
  public static final String NO_TAG_GROUP = "(none)";

  private BatchPlanner() {}

  public static List<List<Long>> plan(List<TicketHost> hosts, BatchSpec spec) {
    List<Long> ids = hosts.stream().map(TicketHost::hostId).toList();
    if (ids.isEmpty()) {
      return List.of();
    }
    BatchSpec s = spec == null ? BatchSpec.none() : spec;
    return switch (s.strategy()) {
      case NONE -> List.of(ids);
      case FIXED -> chunks(ids, s.size());
      case PERCENT -> chunks(ids, Math.max(1, (int) Math.ceil(ids.size() * s.percent() / 100.0)));
      case AUTO -> spread(hosts, s.percent() == null ? BatchSpec.DEFAULT_AUTO_PERCENT : s.percent());
    };
  }

  private static List<List<Long>> chunks(List<Long> ids, int size) {
    List<List<Long>> batches = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += size) {
      batches.add(List.copyOf(ids.subList(i, Math.min(ids.size(), i + size))));
    }
    return batches;
  }

  /**
   * Each tag group contributes at most {@code percent} of its hosts (at least one) to any batch,
   * so a zone or an app is never all in one batch unless it has a single host. Batch i takes the
   * i-th slice of every group; there are as many batches as the most sliced group needs.
   */
  private static List<List<Long>> spread(List<TicketHost> hosts, int percent) {
    Map<String, List<Long>> groups = new TreeMap<>();
    for (TicketHost h : hosts) {
      groups.computeIfAbsent(h.groupValue() == null ? NO_TAG_GROUP : h.groupValue(), k -> new ArrayList<>())
          .add(h.hostId());
    }
    Map<String, Integer> caps = new TreeMap<>();
    int batchCount = 0;
    for (var g : groups.entrySet()) {
      int size = g.getValue().size();
      // percent is below 100 (the API checks it), so a group of two or more is never whole in one batch
      int cap = Math.max(1, (int) Math.floor(size * percent / 100.0));
      caps.put(g.getKey(), cap);
      batchCount = Math.max(batchCount, (size + cap - 1) / cap);
    }
    List<List<Long>> batches = new ArrayList<>();
    for (int b = 0; b < batchCount; b++) {
      List<Long> batch = new ArrayList<>();
      for (var g : groups.entrySet()) {
        int cap = caps.get(g.getKey());
        List<Long> members = g.getValue();
        for (int i = b * cap; i < Math.min(members.size(), (b + 1) * cap); i++) {
          batch.add(members.get(i));
        }
      }
      if (!batch.isEmpty()) {
        batches.add(List.copyOf(batch));
      }
    }
    return batches;
  }
}
