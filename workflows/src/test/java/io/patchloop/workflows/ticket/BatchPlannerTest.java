package io.patchloop.workflows.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.workflows.ticket.BatchSpec.Strategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {

  static List<TicketHost> hosts(int n) {
    return LongStream.rangeClosed(1, n).mapToObj(id -> new TicketHost(id, null)).toList();
  }

  @Test
  void noneIsOneBatchFixedAndPercentAreChunksInOrder() {
    assertThat(BatchPlanner.plan(hosts(5), BatchSpec.none())).containsExactly(List.of(1L, 2L, 3L, 4L, 5L));
    assertThat(BatchPlanner.plan(hosts(5), new BatchSpec(Strategy.FIXED, 2, null, null)))
        .containsExactly(List.of(1L, 2L), List.of(3L, 4L), List.of(5L));
    assertThat(BatchPlanner.plan(hosts(10), new BatchSpec(Strategy.PERCENT, null, 30, null)))
        .as("30 % of 10 is 3 per batch").containsExactly(List.of(1L, 2L, 3L), List.of(4L, 5L, 6L), List.of(7L, 8L, 9L),
            List.of(10L));
    assertThat(BatchPlanner.plan(hosts(3), new BatchSpec(Strategy.PERCENT, null, 1, null))).as("at least one host")
        .hasSize(3);
    assertThat(BatchPlanner.plan(List.of(), BatchSpec.none())).isEmpty();
  }

  @Test
  void autoNeverPutsAWholeZoneInOneBatchAndKeepsEachShareUnderThePercent() {
    List<TicketHost> hosts = new ArrayList<>();
    String[] zones = {"az1", "az1", "az1", "az1", "az2", "az2", "az3", "az3", "az3", null, null, "solo"};
    for (int i = 0; i < zones.length; i++) {
      hosts.add(new TicketHost(i + 1, zones[i]));
    }
    var batches = BatchPlanner.plan(hosts, new BatchSpec(Strategy.AUTO, null, 50, "zone"));
    Map<String, Integer> sizes = new HashMap<>();
    hosts.forEach(h -> sizes.merge(String.valueOf(h.groupValue()), 1, Integer::sum));
    for (List<Long> batch : batches) {
      Map<String, Integer> inBatch = new HashMap<>();
      batch.forEach(id -> inBatch.merge(String.valueOf(hosts.get((int) (id - 1)).groupValue()), 1, Integer::sum));
      inBatch.forEach((zone, n) -> {
        if (sizes.get(zone) > 1) {
          assertThat(n).as("zone " + zone + " in " + batch).isLessThan(sizes.get(zone))
              .isLessThanOrEqualTo(Math.max(1, sizes.get(zone) / 2));
        }
      });
    }
    assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(hosts.size());
    assertThat(batches.stream().flatMap(List::stream).distinct().count()).isEqualTo(hosts.size());
    assertThat(BatchPlanner.plan(hosts, new BatchSpec(Strategy.AUTO, null, 50, "zone"))).as("deterministic")
        .isEqualTo(batches);
  }
}
