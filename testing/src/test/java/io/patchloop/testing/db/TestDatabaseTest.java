package io.patchloop.testing.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import org.junit.jupiter.api.Test;

class TestDatabaseTest {

  @Test
  void givesEachCallerItsOwnEmptyDatabaseOnARealServer() throws Exception {
    var first = TestDatabase.create("first");
    var second = TestDatabase.create("second");
    try (var c = DriverManager.getConnection(first.url(), first.username(), first.password());
        var st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY)");
      st.executeUpdate("INSERT INTO t VALUES (1)");
      var rs = st.executeQuery("SELECT COUNT(*) FROM t");
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
    try (var c = DriverManager.getConnection(second.url(), second.username(), second.password());
        var rs = c.getMetaData().getTables(second.name(), null, "t", null)) {
      assertThat(rs.next()).as("second database must not see the first one's table").isFalse();
    } finally {
      TestDatabase.drop(first);
      TestDatabase.drop(second);
    }
  }
}
