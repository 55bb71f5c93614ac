package io.patchloop.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostCsvTest {

  @Test
  void readsColumnsInAnyOrderWithQuotesTagsAndBlankLines() {
    String csv = """
        OSFamily,name,address,port,keyPath,tags,scenario
        hce,web-1,10.0.0.1,22,/keys/id,"zone=az1;app=shop",bms

        CENTOS,"db-1",db.example.com,,/keys/id,,
        """;
    var parsed = HostCsv.parse(csv);
    assertThat(parsed.hosts()).hasSize(2);
    HostSpec web = parsed.hosts().get(0);
    assertThat(web.name()).isEqualTo("web-1");
    assertThat(web.osFamily()).isEqualTo(OsFamily.HCE);
    assertThat(web.scenario()).isEqualTo(Scenario.BMS);
    assertThat(web.port()).isEqualTo(22);
    assertThat(web.tags()).isEqualTo(Map.of("zone", "az1", "app", "shop"));
    assertThat(parsed.hosts().get(1).port()).isNull();
    assertThat(parsed.rowLabel(1)).as("the blank line still counts").isEqualTo("line 4");
  }

  @Test
  void namesTheLineAndFieldOfEveryProblem() {
    String csv = "name,address,osFamily,port\nweb-1,10.0.0.1,SOLARIS,22\nweb-2,10.0.0.2,HCE,twenty\nweb-3,10.0.0.3\n"
        + "web-4,10.0.0.4,HCE,22\n";
    var parsed = HostCsv.parse(csv);
    assertThat(parsed.problems()).extracting(FieldProblem::field)
        .containsExactly("line 2.osFamily", "line 3.port", "line 4.columns");
    assertThat(parsed.rowLabel(parsed.hosts().size() - 1)).as("rows after a skipped one keep their line").isEqualTo("line 5");
  }

  @Test
  void refusesAHeaderWithUnknownOrMissingColumns() {
    assertThatThrownBy(() -> HostCsv.parse("name,adress,osFamily\nweb,1.2.3.4,HCE\n"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
            .extracting(FieldProblem::reason)
            .anySatisfy(r -> assertThat(r).contains("unknown column 'adress'"))
            .anySatisfy(r -> assertThat(r).contains("'address' is required")));
    assertThatThrownBy(() -> HostCsv.parse("")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> HostCsv.parse("name,address,osFamily\n")).hasMessageContaining("no host rows");
  }

  /**
   * The review's live test 9: 200,000 one-field rows. Before, every row was parsed and its problem
   * added (quadratically) before the row count was looked at: minutes of CPU. Now the count is
   * checked while the text is read.
   */
  @Test
  void refusesTooManyRowsWhileReadingBeforeLookingAtAnyRow() {
    String csv = "name,address,osFamily\n" + "x\n".repeat(200_000);
    long started = System.nanoTime();
    assertThatThrownBy(() -> HostCsv.parse(csv, 5000))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
            .containsExactly(new FieldProblem("body", "at most 5000 hosts per import; split the file")));
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println("HostCsvTest: 200,000-row CSV refused in " + millis + " ms");
    assertThat(millis).isLessThan(5_000);

    String exactly = "name,address,osFamily\n" + "x\n".repeat(5000);
    assertThat(HostCsv.parse(exactly, 5000).rowCount()).as("the limit itself is allowed").isEqualTo(5000);
  }

  @Test
  void aHeaderOfManyColumnsIsCheckedInLinearTime() {
    String header = "name,address,osFamily," + "name,".repeat(100_000) + "colour";
    long started = System.nanoTime();
    assertThatThrownBy(() -> HostCsv.parse(header + "\nweb,10.0.0.1,HCE\n"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
            .extracting(FieldProblem::field).containsExactly("line 1.name", "line 1.colour"));
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
  }
}
