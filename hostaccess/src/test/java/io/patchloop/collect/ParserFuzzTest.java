package io.patchloop.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.scan.MetadataRefresh;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based fuzzing of everything that reads a host's output: random text, and real captured
 * output (the lab fixtures: a probe, a refresh, an updateinfo file) cut, spliced and garbled at
 * random, read by each parser and by the whole collector through a {@link ReplayedHostSession}.
 * Whatever a host prints, the result is an inventory or a typed {@link HostAccessException}; never
 * another exception, which would end a host step as INTERNAL with a Java class in its message. A
 * bounded number of tries per property keeps it in the normal suite (about a second each); jqwik
 * prints the seed of a failure to replay it.
 */
class ParserFuzzTest {

  static final CapturedHost DEMO = CapturedHost.refreshed();
  static final String UPDATEINFO = Fixtures.read("demo/updateinfo.xml");
  static final String QUIRKS_UPDATEINFO = Fixtures.read("quirks/updateinfo.xml");
  static final String QUIRKS_PROBE = Fixtures.read("quirks/missing-some/probe.txt");
  static final String RPM_QA = FramedText.body(QUIRKS_PROBE, "rpm");
  static final String OS_RELEASE = Fixtures.read("demo/pending-reboot/os-release.txt");
  static final String REPOMD = FramedText.body(DEMO.probe(), "repomd " + DEMO.cacheDir() + "/repodata");
  static final String LISTING = FramedText.body(DEMO.probe(), "cache-listing");
  /** The demo probe with its repository marked expired, so that the collector asks for the refresh. */
  static final String EXPIRED_PROBE = FramedText.replace(DEMO.probe(), "expired-repos", "[\"lab-demo\"]\n");

  /** One change to a text: cut it there, put something in there, or drop a stretch; {@code at} is a fraction of its length. */
  record Mutation(double at, String insert, int drop, int kind) {

    String apply(String text) {
      int i = (int) (at * text.length());
      return switch (kind) {
        case 0 -> text.substring(0, i);
        case 1 -> text.substring(0, i) + insert + text.substring(i);
        default -> text.substring(0, i) + text.substring(Math.min(text.length(), i + drop));
      };
    }
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    String ours = CollectorScript.MARKER_PREFIX + CapturedCommandLinesTest.NONCE;
    Arbitrary<String> hostile = Arbitraries.oneOf(
        Arbitraries.strings().withChars("<>/\"'=|&;:.-_ \n\t\\@!$`[]0123456789abcdefxyzAZ").ofMaxLength(40),
        Arbitraries.strings().ofMaxLength(20), // any code point, control characters and surrogates included
        Arbitraries.of("99999999999999999999", "-1", "(none)", "]]>", "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
            "&e;", "<update>", "</updates>", "\u0000", "@@patchloop:", ours + " end@@", "\n" + ours + " rpm@@\n",
            "\n" + ours + " file 1 /etc/yum.repos.d/x.repo@@\n[x]\nbaseurl=http://x/\n", "\n" + ours + " boot@@\n1\n",
            "\n[main]\ncachedir=/tmp/../etc\n", "metadata_expire=-1\n", "\nenabled=0\n", "[\"lab-demo\", 7]",
            "1|2|/var/cache/dnf/lab-demo-x/repodata/primary.xml.gz\n", "type=\"updateinfo\"", "sha256:",
            "epoch=\"99999999999\"", "date=\"99999-01-01\"", "$releasever", "$(reboot)"));
    Arbitrary<Mutation> one = Combinators.combine(Arbitraries.doubles().between(0, 1), hostile,
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

  /** The whole collector on a replayed host; every policy, so that the refresh is read too. */
  static void collect(ReplayedHostSession session, MetadataRefresh refresh) {
    typedOnly(() -> {
      HostInventory inventory = CapturedHost.collector().collect(session.otherFilesMissing(), refresh);
      assertThat(inventory.packages()).isNotEmpty();
    });
  }

  @Property(tries = 300)
  void anyTextGivesEveryParserAResultOrATypedError(@ForAll String text) {
    typedOnly(() -> UpdateInfoParser.parse(text, "fuzz"));
    typedOnly(() -> RpmQaParser.parse(text));
    typedOnly(() -> OsRelease.parse(text));
    typedOnly(() -> RepoCacheListing.parse(text));
    typedOnly(() -> Repomd.parse(text, "fuzz"));
    typedOnly(() -> BootReading.parse(text));
    typedOnly(() -> ReleaseverQuery.detect(text, ReleaseverQuery.DNF_PROVIDES));
    typedOnly(() -> HostFacts.of(CollectorOutput.split(text, CapturedCommandLinesTest.NONCE)));
    collect(new ReplayedHostSession().probe(text).refresh(text), MetadataRefresh.AUTO);
  }

  @Property(tries = 400)
  void garbledUpdateInfoGivesAdvisoriesOrATypedError(@ForAll("mutations") List<Mutation> mutations) {
    typedOnly(() -> UpdateInfoParser.parse(mutate(UPDATEINFO, mutations), "fuzz"));
    typedOnly(() -> UpdateInfoParser.parse(mutate(QUIRKS_UPDATEINFO, mutations), "fuzz"));
    collect(DEMO.session().updateInfo(DEMO.updateInfoPath(), mutate(UPDATEINFO, mutations)), MetadataRefresh.NEVER);
  }

  @Property(tries = 400)
  void garbledHostFilesGiveResultsOrATypedError(@ForAll("mutations") List<Mutation> mutations) {
    typedOnly(() -> RpmQaParser.parse(mutate(RPM_QA, mutations)));
    typedOnly(() -> OsRelease.parse(mutate(OS_RELEASE, mutations)));
    typedOnly(() -> Repomd.parse(mutate(REPOMD, mutations), "fuzz"));
    typedOnly(() -> RepoCacheListing.parse(mutate(LISTING, mutations)));
  }

  @Property(tries = 500)
  void aGarbledProbeGivesAnInventoryOrATypedError(@ForAll("mutations") List<Mutation> mutations) {
    collect(DEMO.session().probe(mutate(DEMO.probe(), mutations)).refresh(CapturedHost.capturedRefresh()),
        MetadataRefresh.AUTO);
    collect(DEMO.session().probe(mutate(QUIRKS_PROBE, mutations)).refresh(CapturedHost.capturedRefresh()),
        MetadataRefresh.ALWAYS);
  }

  @Property(tries = 400)
  void aGarbledRefreshGivesAnInventoryOrATypedError(@ForAll("mutations") List<Mutation> mutations) {
    collect(DEMO.session().probe(EXPIRED_PROBE).refresh(mutate(CapturedHost.capturedRefresh(), mutations)),
        MetadataRefresh.AUTO);
  }

  /** Odd values fed in as such: out-of-range numbers and dates, hostile XML, a marker inside a value. */
  @Example
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
    typedOnly(() -> RepoCacheListing.parse("99999999999999|1|/var/cache/dnf/x\n-99999999999|99999999|/a/../b\n"));
    typedOnly(() -> BootReading.parse("99999999999999999999\n1\n1e400\n"));
    typedOnly(() -> BootReading.parse("1\n2\nNaN\n"));
    typedOnly(() -> Repomd.parse("<!DOCTYPE r [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><repomd><data type=\"updateinfo\">"
        + "<checksum type=\"sha256\">&e;</checksum><location href=\"repodata/u.xml\"/></data></repomd>", "fuzz"));
    typedOnly(() -> Repomd.parse("<repomd><data type=\"updateinfo\"><checksum type=\"md5\">00</checksum>"
        + "<location href=\"../../../etc/shadow\"/></data></repomd>", "fuzz"));
    typedOnly(() -> RepoFreshness.expiredRepos("{\"a\": [1, {}]}", new java.util.ArrayList<>()));
    String probe = FramedText.replace(DEMO.probe(), "boot", "99999999999999999999\n1\n1e400\n");
    collect(DEMO.session().probe(probe), MetadataRefresh.AUTO);
    collect(DEMO.session().probe(FramedText.replace(DEMO.probe(), "package-manager", "dnf5\n"))
        .refresh(CapturedHost.capturedRefresh()), MetadataRefresh.AUTO);
  }
}
