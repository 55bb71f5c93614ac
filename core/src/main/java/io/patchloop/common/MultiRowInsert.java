package io.patchloop.common;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Inserts rows {@value #ROWS_PER_STATEMENT} to a statement. Connector/J sends a JDBC batch one
 * statement at a time, a round trip each, unless the URL rewrites batches; a report of 1,400
 * patches written row by row spent most of its time waiting on those round trips.
 */
public final class MultiRowInsert {

  public static final int ROWS_PER_STATEMENT = 500;

  private MultiRowInsert() {}

  /**
   * @param insertValues the statement up to and including {@code VALUES }, e.g. {@code INSERT INTO t (a, b) VALUES }
   * @param suffix what follows the rows, e.g. an {@code ON DUPLICATE KEY UPDATE} clause, or empty
   */
  public static void insert(JdbcTemplate template, String insertValues, List<Object[]> rows, String suffix) {
    for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
      List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
      String one = "(" + String.join(", ", Collections.nCopies(chunk.get(0).length, "?")) + ")";
      template.update(insertValues + String.join(", ", Collections.nCopies(chunk.size(), one)) + suffix,
          chunk.stream().flatMap(Arrays::stream).toArray());
    }
  }

  public static void insert(JdbcTemplate template, String insertValues, List<Object[]> rows) {
    insert(template, insertValues, rows, "");
  }
}
