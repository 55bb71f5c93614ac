package io.patchloop.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.inventory.HostInventory;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based fuzzing of everything that reads a host's output: random text, and real captured
 * output (the lab fixtures) cut, spliced and garbled at random. Whatever a host prints, a parser
 * gives a result or a typed {@link HostAccessException}; never another exception, which would end
 * a host step as INTERNAL with a Java class in its message. A bounded number of tries per property
 * keeps it in the normal suite (about a second each); jqwik prints the seed of a failure to replay it.
 */
class ParserFuzzTest {

  static final String UPDATEINFO = Fixtures.read("demo/updateinfo.xml");
  static final String QUIRKS_UPDATEINFO = Fixtures.read("quirks/updateinfo.xml");
  static final String RPM_QA = Fixtures.read("quirks/missing-some/rpm-qa.txt");
  static final String OS_RELEASE = Fixtures.read("demo/pending-reboot/os-release.txt");
  static final String FRAMED = RpmCollectorParseTest.framed("demo/pending-reboot", "dnf", "lab-demo\n",
      "lab-demo-79e8e645370cfd6d", UPDATEINFO);

  /** One change to a text: cut it there, put something in there, or drop a stretch. */
  record Mutation(int at, String insert, int drop, int kind) {

    String apply(String text) {
      int i = Math.min(at, text.length());
      return switch (kind) {
        case 0 -> text.substring(0, i);
        case 1 -> text.substring(0, i) + insert + text.substring(i);
        default -> text.substring(0, i) + text.substring(Math.min(text.length(), i + drop));
      };
    }
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<String> hostile = Arbitraries.oneOf(
        Arbitraries.strings().withChars("<>/\"'=|&;:.-_ \n\t\\@!$`0123456789abcdefxyzAZ").ofMaxLength(40),
        Arbitraries.strings().ofMaxLength(20), // any code point, control characters and surrogates included
        Arbitraries.of("99999999999999999999", "-1", "(none)", "]]>", "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
            "&e;", "<update>", "</updates>", "\u0000", "@@patchloop:", "@@patchloop:0123456789abcdef end@@",
            "\n@@patchloop:0123456789abcdef rpm@@\n", "epoch=\"99999999999\"", "date=\"99999-01-01\""));
    Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 200_000), hostile,
        Arbitraries.integers().between(0, 5_000), Arbitraries.integers().between(0, 2)).as(Mutation::new);
    return one.list().ofMinSize(1).ofMaxSize(4);
  }

  static String mutate(String text, List<Mutation> mutations) {
    String s = text;
    for (Mutation m : mutations) {
      s = m.apply(s);
    }
    return s;
  }

  /** Runs a parser; a typed error is a fine answer, anything else fails the property. */
  static void typedOnly(Runnable parse) {
    try {
      parse.run();
    } catch (HostAccessException typed) {
      assertThat(typed.kind()).isNotNull();
      assertThat(typed.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 400)
  void anyTextGivesEveryParserAResultOrATypedError(@ForAll String text) {
    typedOnly(() -> UpdateInfoParser.parse(text, "fuzz"));
    typedOnly(() -> RpmQaParser.parse(text));
    typedOnly(() -> OsRelease.parse(text));
    typedOnly(() -> CachedRepo.parse(text));
    typedOnly(() -> RpmCollector.parse(CollectorOutput.split(text, RpmCollectorParseTest.NONCE)));
  }

  @Property(tries = 600)
  void garbledUpdateInfoGivesAdvisoriesOrATypedError(@ForAll("mutations") List<Mutation> mutations) {
    typedOnly(() -> UpdateInfoParser.parse(mutate(UPDATEINFO, mutations), "fuzz"));
    typedOnly(() -> UpdateInfoParser.parse(mutate(QUIRKS_UPDATEINFO, mutations), "fuzz"));
  }

  @Property(tries = 600)
  void garbledRpmQaAndOsReleaseGiveRowsOrATypedError(@ForAll("mutations") List<Mutation> mutations) {
    typedOnly(() -> RpmQaParser.parse(mutate(RPM_QA, mutations)));
    typedOnly(() -> OsRelease.parse(mutate(OS_RELEASE, mutations)));
  }

  @Property(tries = 600)
  void garbledCollectorOutputGivesAnInventoryOrATypedError(@ForAll("mutations") List<Mutation> mutations) {
    typedOnly(() -> {
      HostInventory inventory = RpmCollector.parse(CollectorOutput.split(mutate(FRAMED, mutations),
          RpmCollectorParseTest.NONCE));
      assertThat(inventory.packages()).isNotNull();
    });
  }

  /** Odd values the review named, fed in as such: out-of-range numbers and dates, a marker inside a value. */
  @net.jqwik.api.Example
  void oddValuesGiveResultsOrTypedErrors() {
    typedOnly(() -> RpmQaParser.parse("kernel|99999999999999999999|5.10|1|x86_64|1700000000\n"));
    typedOnly(() -> RpmQaParser.parse("kernel|-5|5.10|1|x86_64|1700000000\n"));
    typedOnly(() -> RpmQaParser.parse("bash|(none)|5.1|1|x86_64|99999999999999999999\n"));
    typedOnly(() -> RpmQaParser.parse("bash|(none)|5.1|1|x86_64|-1\n"));
    typedOnly(() -> RpmQaParser.parse("bash|(none)|5.1|1|x86_64|99999999999999999\n")); // a long, but no Instant
    typedOnly(() -> RpmQaParser.parse("b".repeat(100_000) + "|(none)|5.1|1|x86_64|1\n"));
    String advisory = "<updates><update type=\"security\"><id>SA-1</id><issued date=\"%s\"/><pkglist><collection>"
        + "<package name=\"bash\" epoch=\"%s\" version=\"5.1\" release=\"1\" arch=\"x86_64\"/>"
        + "</collection></pkglist></update></updates>";
    for (String date : List.of("99999-01-01", "0000-00-00", "-1", "99999999999999999999", "2026-13-45 25:61:61")) {
      for (String epoch : List.of("0", "99999999999", "-3", "x")) {
        typedOnly(() -> UpdateInfoParser.parse(String.format(advisory, date, epoch), "fuzz"));
      }
    }
    typedOnly(() -> CachedRepo.parse("repo 99999999999999 1\nrepo -99999999999 99999999\n"));
    typedOnly(() -> RpmCollector.bootTime("99999999999999999999\n1\n1e400\n"));
    typedOnly(() -> RpmCollector.bootTime("1\n2\nNaN\n"));
  }
}
