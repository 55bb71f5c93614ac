package io.patchloop.common;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Enum constants of ours as an SQL list, for a column that stores their names: {@code ('A', 'B')}. */
public final class SqlConstants {

  private SqlConstants() {}

  /** Only for constants written in our source: names are letters, digits and '_', so nothing needs escaping. */
  public static String inList(Stream<? extends Enum<?>> constants) {
    return constants.map(c -> "'" + c.name() + "'").collect(Collectors.joining(", ", "(", ")"));
  }
}
