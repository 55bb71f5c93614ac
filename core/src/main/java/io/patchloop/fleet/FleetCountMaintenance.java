package io.patchloop.fleet;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the fleet's counts current in every process that reads or writes reports: rebuilt once
 * when a migration asks for it, changes folded every few seconds. Folding is for the size of the
 * change table only; the views are exact without it. In a process without scheduling (a test
 * context) nothing folds, and the views stay exact.
 */
@Component
class FleetCountMaintenance {

  private final FleetCounts counts;

  FleetCountMaintenance(FleetCounts counts) {
    this.counts = counts;
  }

  @EventListener(ApplicationReadyEvent.class)
  void rebuildIfNeeded() {
    counts.rebuildIfNeeded();
  }

  @Scheduled(initialDelayString = "${patchloop.fleet.fold-interval:5s}", fixedDelayString = "${patchloop.fleet.fold-interval:5s}")
  void fold() {
    counts.fold();
  }
}
