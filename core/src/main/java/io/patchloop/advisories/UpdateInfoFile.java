package io.patchloop.advisories;

import io.patchloop.inventory.Advisory;
import java.util.List;

/**
 * One repository's updateinfo.xml as parsed once for the whole fleet: every advisory with every
 * package entry, whatever any one host has installed (each host's scan keeps only what concerns it).
 *
 * @param dropped advisories the parser left out because an id or package name is not safe to use
 */
public record UpdateInfoFile(List<Advisory> advisories, int dropped) {

  public UpdateInfoFile {
    advisories = List.copyOf(advisories);
  }

  /** Package entries in all: what a file costs to hold in memory, roughly. */
  public long packageEntries() {
    long n = 0;
    for (Advisory a : advisories) {
      n += a.packages().size();
    }
    return n;
  }
}
