package io.patchloop.rpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hand-picked cases for {@link RpmVersion} and {@link Evr}; expected values checked against rpm 4.18. */
class RpmVersionTest {

  /** Asserts compare(a, b) == expected and, by symmetry, compare(b, a) == -expected. */
  private static void assertCmp(String a, String b, int expected) {
    assertEquals(expected, RpmVersion.compare(a, b), () -> "compare(\"" + a + "\", \"" + b + "\")");
    assertEquals(-expected, RpmVersion.compare(b, a), () -> "compare(\"" + b + "\", \"" + a + "\")");
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" vs \"{1}\" -> {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        // equal, plain numeric
        "1.0        | 1.0          |  0",
        "1.0        | 1.1          | -1",
        "1.0        | 2.0          | -1",
        "2.0        | 2.0.1        | -1",
        "10         | 9            |  1",
        "5.5p1      | 5.5p10       | -1",
        "10xyz      | 10.1xyz      | -1",
        // letters: a trailing letter segment makes a version newer than none
        "1.0a       | 1.0          |  1",
        "2.0.1      | 2.0.1a       | -1",
        "alpha      | beta         | -1",
        // letters are compared bytewise: upper case sorts before lower case
        "Z          | a            | -1",
        // a numeric segment beats an alpha one
        "1          | a            |  1",
        "1.0.1      | 1.0a         |  1",
        // tilde: before everything, even the end of the string
        "1.0~rc1    | 1.0          | -1",
        "1.0~rc1    | 1.0~rc2      | -1",
        "1.0~rc1~1  | 1.0~rc1      | -1",
        "1.0~       | 1.0          | -1",
        "1.0~~      | 1.0~         | -1",
        // caret: after the end of the string, before any other segment
        "1.0^git1   | 1.0          |  1",
        "1.0^       | 1.0          |  1",
        "1.0^git1   | 1.0.1        | -1",
        "1.0^git1   | 1.0^git2     | -1",
        "1.0^git1   | 1.0~rc1      |  1",
        "1.0^       | 1.0~         |  1",
        "^^         | ^            |  1",
        "~          | ^            | -1",
        // leading zeros are dropped
        "001        | 1            |  0",
        "0001.02    | 1.2          |  0",
        "1.01       | 1.1          |  0",
        "1.010      | 1.1          |  1",
        // separators are skipped and never compared
        "1.0        | 1_0          |  0",
        "1..0       | 1.0          |  0",
        "1.0.       | 1.0          |  0",
        "1+0        | 1-0          |  0",
        "1a         | 1.a          |  0",
        ".          | -            |  0",
        // separators still end segments
        "1.2        | 12           | -1",
      })
  void comparesLikeRpm(String a, String b, int expected) {
    assertCmp(a, b, expected);
  }

  @Test
  void identicalStringsAreEqual() {
    for (String s : List.of("", "1", "1.0-1", "~", "^", "1.0~rc1^git2", "...", "a.b.c")) {
      assertEquals(0, RpmVersion.compare(s, s), s);
    }
  }

  @Test
  void emptyStrings() {
    assertCmp("", "", 0);
    assertCmp("", "0", -1);
    assertCmp("", "a", -1);
    assertCmp("", ".", 0); // only separators: nothing left to compare
    assertCmp("", "~", 1); // a tilde sorts even before the end of the string
    assertCmp("", "^", -1);
  }

  @Test
  void numbersBeyondLongDoNotOverflow() {
    String huge = "123456789012345678901234567890";
    assertCmp(huge, "123456789012345678901234567889", 1);
    assertCmp(huge, "9223372036854775807", 1); // Long.MAX_VALUE
    assertCmp("1." + huge, "1." + huge, 0);
    assertCmp("0000" + huge, huge, 0);
    assertCmp("1." + huge + "a", "1." + huge + "b", -1);
    // same length: decided lexically, digit by digit
    assertCmp("99999999999999999999999999999", "99999999999999999999999999998", 1);
  }

  @Test
  void onlyAsciiLettersAndDigitsCount() {
    // non-ASCII characters (even letters and digits in other scripts) are separators, as in C
    assertCmp("1é0", "1.0", 0);
    assertCmp("1.0ä", "1.0", 0);
    assertCmp("1٣", "1", 0); // Arabic-Indic digit three
  }

  @Test
  void stopsAtTheFirstNulLikeACString() {
    assertCmp("1.0\u00002", "1.0", 0);
  }

  @Test
  void returnsOnlyMinusOneZeroOrOne() {
    assertEquals(1, RpmVersion.compare("z", "a"));
    assertEquals(-1, RpmVersion.compare("a", "z"));
    assertEquals(1, RpmVersion.compare("100", "9"));
  }

  @Test
  void sortsATypicalList() {
    List<String> sorted =
        List.of("1.0~alpha", "1.0~rc1", "1.0", "1.0^git1", "1.0^git2", "1.0a", "1.0.1", "1.1", "1.10", "2");
    List<String> shuffled = new ArrayList<>(sorted);
    java.util.Collections.reverse(shuffled);
    shuffled.sort(RpmVersion::compare);
    assertEquals(sorted, shuffled);
  }

  // ---------------------------------------------------------------- Evr

  @Test
  void evrParse() {
    assertEquals(new Evr(0, "1.0", "1"), Evr.parse("1.0-1"));
    assertEquals(new Evr(2, "1.0", "1.el9"), Evr.parse("2:1.0-1.el9"));
    assertEquals(new Evr(0, "1.0", ""), Evr.parse("1.0"));
    assertEquals(new Evr(0, "1.0-beta", "3"), Evr.parse("1.0-beta-3")); // release after the last '-'
    assertEquals(new Evr(7, "1.0", "1"), Evr.parse("007:1.0-1"));
    // rpm reads an empty epoch as 0
    assertEquals(new Evr(0, "1.0", "1"), Evr.parse(":1.0-1"));
    // rpm only takes an epoch when everything before the ':' is digits
    assertEquals(new Evr(0, "a:1.0", "1"), Evr.parse("a:1.0-1"));
    assertEquals(new Evr(0, "1.0:2", "1"), Evr.parse("1.0:2-1"));
    assertEquals(new Evr(0, "", "5:1.0"), Evr.parse("-5:1.0"));
  }

  @Test
  void evrRejectsWhatItCannotRepresent() {
    assertThrows(IllegalArgumentException.class, () -> new Evr(-1, "1.0", "1"));
    assertThrows(IllegalArgumentException.class, () -> Evr.parse("99999999999999999999:1.0-1"));
  }

  @Test
  void evrToString() {
    assertEquals("1.0-1", Evr.parse("0:1.0-1").toString());
    assertEquals("3:1.0-1", Evr.parse("3:1.0-1").toString());
    assertEquals("1.0", Evr.parse("1.0").toString());
  }

  private static void assertEvr(String a, String b, int expected) {
    assertEquals(expected, Integer.signum(Evr.parse(a).compareTo(Evr.parse(b))), a + " vs " + b);
    assertEquals(-expected, Integer.signum(Evr.parse(b).compareTo(Evr.parse(a))), b + " vs " + a);
  }

  @Test
  void evrComparesEpochThenVersionThenRelease() {
    assertEvr("1.0-1", "1.0-1", 0);
    assertEvr("0:1.0-1", "1.0-1", 0); // a missing epoch is 0
    assertEvr("1:1.0-1", "1.0-1", 1);
    assertEvr("1:1.0-1", "2.0-1", 1); // the epoch wins over the version
    assertEvr("1:9.9-9", "2:0.1-1", -1);
    assertEvr("10:1.0-1", "9:1.0-1", 1); // epochs are numbers
    assertEvr("1.0-2", "1.0.1-1", -1); // the version wins over the release
    assertEvr("1.0-1.el9", "1.0-1.el9_2", -1);
    assertEvr("1.0-1", "1.0-1~rc1", 1);
    assertEvr("1.0-1", "1.0^git1-1", -1);
    assertEvr("1.0", "1.0-1", -1); // no release sorts before a release
  }
}
