package io.patchloop.api.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvWriterTest {

  @Test
  void quotesOnlyWhatRfc4180NeedsQuotedAndEndsRecordsWithCrlf() throws Exception {
    StringWriter out = new StringWriter();
    CsvWriter csv = new CsvWriter(out);
    csv.row("plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", null, 7, Instant.parse("2026-11-27T00:00:00Z"));
    assertThat(out.toString()).isEqualTo(
        "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",,7,2026-11-27T00:00:00Z\r\n");
    assertThat(StrictCsv.parse(out.toString())).containsExactly(
        List.of("plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", "", "7", "2026-11-27T00:00:00Z"));
  }

  @Test
  void defusesFormulasButNotNumbers() {
    assertThat(CsvWriter.field("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
    assertThat(CsvWriter.field("+cmd")).isEqualTo("'+cmd");
    assertThat(CsvWriter.field("-1+2")).isEqualTo("'-1+2");
    assertThat(CsvWriter.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(CsvWriter.field("\tx")).isEqualTo("'\tx");
    assertThat(CsvWriter.field(-12)).isEqualTo("-12");
    assertThat(CsvWriter.field("-0.5")).isEqualTo("-0.5");
    assertThat(CsvWriter.field("a=b")).isEqualTo("a=b");
  }

  @Test
  void theStrictParserRefusesWhatRfc4180Refuses() {
    assertThatThrownBy(() -> StrictCsv.parse("a,b\n")).hasMessageContaining("bare");
    assertThatThrownBy(() -> StrictCsv.parse("a,b\r\n1")).hasMessageContaining("CRLF");
    assertThatThrownBy(() -> StrictCsv.parse("a,b\r\n1,x\"y\r\n")).hasMessageContaining("quote");
    assertThatThrownBy(() -> StrictCsv.parse("a,b\r\n1\r\n")).hasMessageContaining("fields");
    assertThatThrownBy(() -> StrictCsv.parse("a\r\n\"x\"y\r\n")).hasMessageContaining("closing quote");
  }

  @Test
  void acceptHeaderSelectsCsvOnlyWhenItPrefersIt() {
    assertThat(CsvResponse.prefersCsv("text/csv")).isTrue();
    assertThat(CsvResponse.prefersCsv("text/csv, */*;q=0.8")).isTrue();
    assertThat(CsvResponse.prefersCsv("application/json, text/csv;q=0.5")).isFalse();
    assertThat(CsvResponse.prefersCsv("text/csv;q=0")).isFalse();
    assertThat(CsvResponse.prefersCsv("*/*")).isFalse();
    assertThat(CsvResponse.prefersCsv(null)).isFalse();
    assertThat(CsvResponse.prefersCsv("not a media type;;;")).isFalse();
  }
}
