package io.patchloop.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.common.OsFamily;
import io.patchloop.common.Problems;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostSpec;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.ticket.BatchSpec.Strategy;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.SuspensionSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A ticket request's own rules, each reported with its field, and the JSON texts made of it. */
class TicketSpecTest {

  static final Instant NOW = Instant.parse("2026-11-27T05:07:46Z");

  static TicketSpec scan(List<Long> hostIds) {
    return new TicketSpec(Operation.SCAN, hostIds, null, null, null, null, null, null, null, null, null, null);
  }

  static TicketSpec.Selector selector(Map<String, String> tags, Boolean all) {
    return new TicketSpec.Selector(tags, null, all, null);
  }

  /** Each field's problem, in the order found; empty when the spec is valid. */
  static Map<String, String> problems(TicketSpec spec) {
    Problems problems = new Problems();
    spec.validate(problems, NOW);
    Map<String, String> byField = new LinkedHashMap<>();
    problems.list().forEach(p -> byField.put(p.field(), p.reason()));
    return byField;
  }

  @Test
  void anEmptyRequestNeedsAnOperationAndItsHosts() {
    assertThat(problems(new TicketSpec(null, null, null, null, null, null, null, null, null, null, null, null)))
        .containsExactly(Map.entry("operation", "is required"),
            Map.entry("hostIds", "give exactly one of hostIds or selector"));
  }

  @Test
  void hostsByIdsOrBySelectorNeverBoth() {
    assertThat(problems(new TicketSpec(Operation.SCAN, List.of(1L), selector(null, true), null, null, null, null, null,
        null, null, null, null))).containsExactly(Map.entry("hostIds", "give exactly one of hostIds or selector"));
    assertThat(problems(scan(List.of()))).containsExactly(Map.entry("hostIds", "must list 1 to 10000 host ids"));
    assertThat(problems(scan(java.util.stream.LongStream.rangeClosed(1, 10_001).boxed().toList())))
        .containsExactly(Map.entry("hostIds", "must list 1 to 10000 host ids"));
    assertThat(problems(scan(List.of(1L)))).isEmpty();
  }

  /** Generated clients send unset arrays as []: beside a selector that is no host list, alone it still is one. */
  @Test
  void anEmptyHostIdsBesideASelectorIsNoHostList() {
    TicketSpec generated = new TicketSpec(Operation.SCAN, List.of(), selector(null, true), null, null, null, null, null,
        null, null, null, null);
    assertThat(generated.hostIds()).isNull();
    assertThat(problems(generated)).isEmpty();
    assertThat(problems(new TicketSpec(Operation.SCAN, List.of(), null, null, null, null, null, null, null, null, null,
        null))).containsExactly(Map.entry("hostIds", "must list 1 to 10000 host ids"));
  }

  @Test
  void aSelectorIsEitherAllOrNarrowedByValidTags() {
    TicketSpec allAndTags = new TicketSpec(Operation.SCAN, null, selector(Map.of("-zone", "az1"), true), null, null,
        null, null, null, null, null, null, null);
    assertThat(problems(allAndTags)).containsExactly(
        Map.entry("selector", "give either all: true, or tags, osFamily, complianceStatus and/or missingAdvisory"),
        Map.entry("selector.tags", "tag '-zone' is not a valid key:value filter"));
    TicketSpec neither = new TicketSpec(Operation.SCAN, null, selector(Map.of(), false), null, null, null, null, null,
        null, null, null, null);
    assertThat(problems(neither)).containsOnlyKeys("selector");
    TicketSpec blankValue = new TicketSpec(Operation.SCAN, null, selector(Map.of("zone", " "), null), null, null, null,
        null, null, null, null, null, null);
    assertThat(problems(blankValue)).containsExactly(
        Map.entry("selector.tags", "tag 'zone' is not a valid key:value filter"));
    TicketSpec byOs = new TicketSpec(Operation.SCAN, null, new TicketSpec.Selector(null, OsFamily.HCE, null,
        Host.ComplianceStatus.NON_COMPLIANT), null, null, null, null, null, null, null, null, null);
    assertThat(problems(byOs)).isEmpty();
  }

  /** A selector may name only the advisory: the hosts missing it, an id as hosts report them or a 400 by its field. */
  @Test
  void aSelectorOfTheHostsMissingAnAdvisory() {
    assertThat(problems(bySelector(new TicketSpec.Selector(null, null, null, null, "HCE2-SA-2026-0001"))))
        .as("the advisory alone is a selector").isEmpty();
    assertThat(problems(bySelector(new TicketSpec.Selector(Map.of("zone", "az1"), OsFamily.HCE, null,
        Host.ComplianceStatus.NON_COMPLIANT, "RHSA-2024:1234")))).as("with every other filter (AND)").isEmpty();
    for (String bad : List.of("", " HCE2-SA-1", "HCE2 SA", "-SA-1", "a".repeat(129), "SA-1;reboot")) {
      assertThat(problems(bySelector(new TicketSpec.Selector(null, null, null, null, bad)))).as(bad).containsExactly(
          Map.entry("selector.missingAdvisory",
              "is not an advisory id (letters, digits and . _ : + -, such as HCE2-SA-2024-0042)"));
    }
    assertThat(problems(bySelector(new TicketSpec.Selector(null, null, true, null, "HCE2-SA-2026-0001"))))
        .as("all: true is every host, not narrowed").containsOnlyKeys("selector");
  }

  static TicketSpec bySelector(TicketSpec.Selector selector) {
    return new TicketSpec(Operation.REPAIR, null, selector, null, null, null, null, null, null, null, null, null);
  }

  /**
   * Idempotency keys stored before missingAdvisory existed are bound to the text of their body then:
   * the body read as the API reads it still gives that text, and the new field shows only when given.
   */
  @Test
  void theCanonicalBodyOfARequestWithoutTheAdvisoryIsTheTextKeysWereBoundTo() throws Exception {
    var api = new com.fasterxml.jackson.databind.ObjectMapper().registerModule(
        new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());
    String old = "{\"operation\":\"SCAN\",\"selector\":{\"tags\":{\"app\":\"billing\"},\"osFamily\":\"HCE\","
        + "\"complianceStatus\":\"NON_COMPLIANT\"},\"concurrency\":2}";
    TicketSpec read = api.readValue(old, TicketSpec.class);
    assertThat(read.selector().missingAdvisory()).isNull();
    assertThat(read.canonicalJson()).isEqualTo(old);
    assertThat(read.canonicalJsonInGivenOrder()).isEqualTo(old);

    String repair = "{\"operation\":\"REPAIR\",\"selector\":{\"missingAdvisory\":\"HCE2-SA-2026-0001\"}}";
    assertThat(api.readValue(repair, TicketSpec.class).canonicalJson()).isEqualTo(repair);
  }

  /** Review M8: each selector tag is one more EXISTS in the host query; a tag's key and value are as long as a host's may be. */
  @Test
  void aSelectorHasAtMostAsManyTagsAsAHostAndNoLongerOnes() {
    Map<String, String> tooMany = new LinkedHashMap<>();
    for (int i = 0; i <= HostSpec.MAX_TAGS; i++) {
      tooMany.put("k" + i, "v");
    }
    assertThat(problems(new TicketSpec(Operation.SCAN, null, selector(tooMany, null), null, null, null, null, null,
        null, null, null, null))).containsExactly(Map.entry("selector.tags", "at most 32 tags (a host carries at most 32)"));
    tooMany.remove("k0");
    assertThat(problems(new TicketSpec(Operation.SCAN, null, selector(tooMany, null), null, null, null, null, null,
        null, null, null, null))).as("32 tags are fine").isEmpty();

    String longKey = "k".repeat(10_000);
    assertThat(problems(new TicketSpec(Operation.SCAN, null, selector(Map.of(longKey, "v"), null), null, null, null,
        null, null, null, null, null, null)))
        .containsExactly(Map.entry("selector.tags", "tag keys must be at most 64 characters"));
    assertThat(problems(new TicketSpec(Operation.SCAN, null, selector(Map.of("zone", "v".repeat(129)), null), null,
        null, null, null, null, null, null, null, null)))
        .containsExactly(Map.entry("selector.tags.zone", "must be at most 128 characters"));
    assertThat(problems(new TicketSpec(Operation.SCAN, List.of(1L), null, null,
        new BatchSpec(Strategy.AUTO, null, 50, "z".repeat(65)), null, null, null, null, null, null, null)))
        .containsExactly(Map.entry("batch.tagKey", "must be at most 64 characters"));
  }

  @Test
  void externalRefAndCallback() {
    TicketSpec spec = new TicketSpec(Operation.SCAN, List.of(1L), null, null, null, null, null, null, null, null,
        "CHG 0031337", new TicketSpec.Callback("ftp://itsm.example.com/cb", "short"));
    assertThat(problems(spec)).containsExactly(
        Map.entry("externalRef", "must be 1-64 letters, digits, '.', '_', ':', '/', '#' or '-', such as CHG0031337"),
        Map.entry("callback.url", "must be an http:// or https:// URL of at most 2000 characters"),
        Map.entry("callback.secret", "must be 16 to 256 characters (it signs the callback)"));
    TicketSpec fine = new TicketSpec(Operation.SCAN, List.of(1L), null, null, null, null, null, null, null, null,
        "CHG0031337", new TicketSpec.Callback("https://itsm.example.com/cb", null));
    assertThat(problems(fine)).isEmpty();
  }

  @Test
  void startAtIsInTheFutureWithinAYear() {
    assertThat(problems(at(NOW))).containsExactly(Map.entry("startAt", "must be in the future; omit it to start now"));
    assertThat(problems(at(NOW.plus(Duration.ofDays(367))))).containsExactly(
        Map.entry("startAt", "must be within 366 days"));
    assertThat(problems(at(NOW.plus(Duration.ofDays(366))))).isEmpty();
    assertThat(problems(at(NOW.plusSeconds(1)))).isEmpty();
  }

  static TicketSpec at(Instant startAt) {
    return new TicketSpec(Operation.SCAN, List.of(1L), null, null, null, null, null, startAt, null, null, null, null);
  }

  @Test
  void rebootSettingsBelongToRepairsThatReboot() {
    assertThat(problems(new TicketSpec(Operation.SCAN, List.of(1L), null, null, null, null, null, null,
        RebootOption.REBOOT_IF_NEEDED, 60, null, null)))
        .containsExactly(Map.entry("rebootOption", "applies to REPAIR tickets only"));
    assertThat(problems(new TicketSpec(Operation.REPAIR, List.of(1L), null, null, null, null, null, null,
        RebootOption.NO_REBOOT, 60, null, null)))
        .containsExactly(Map.entry("rebootTimeoutSeconds", "applies only with rebootOption REBOOT_IF_NEEDED"));
    assertThat(problems(new TicketSpec(Operation.REPAIR, List.of(1L), null, null, null, null, null, null,
        RebootOption.REBOOT_IF_NEEDED, 29, null, null)))
        .containsExactly(Map.entry("rebootTimeoutSeconds", "must be between 30 and 7200"));
  }

  static TicketSpec batched(BatchSpec batch, Integer concurrency, SuspensionSpec suspension) {
    return new TicketSpec(Operation.SCAN, List.of(1L), null, null, batch, concurrency, suspension, null, null, null,
        null, null);
  }

  @Test
  void batchesConcurrencyAndSuspension() {
    assertThat(problems(batched(new BatchSpec(null, null, null, null), null, null)))
        .containsExactly(Map.entry("batch.strategy", "is required"));
    assertThat(problems(batched(new BatchSpec(Strategy.FIXED, null, null, null), null, null)))
        .containsExactly(Map.entry("batch.size", "is required"));
    assertThat(problems(batched(new BatchSpec(Strategy.FIXED, 10_001, null, null), null, null)))
        .containsExactly(Map.entry("batch.size", "must be between 1 and 10000"));
    assertThat(problems(batched(new BatchSpec(Strategy.PERCENT, null, 0, null), null, null)))
        .containsExactly(Map.entry("batch.percent", "must be between 1 and 100"));
    assertThat(problems(batched(new BatchSpec(Strategy.AUTO, null, 100, null), 0, new SuspensionSpec(0, 0))))
        .containsExactly(
            Map.entry("batch.tagKey", "AUTO needs the tag whose groups must never be all in one batch, e.g. zone"),
            Map.entry("batch.percent", "must be between 1 and 99"),
            Map.entry("concurrency", "must be between 1 and 200"),
            Map.entry("suspension", "give at most one of maxFailures or maxFailurePercent"),
            Map.entry("suspension.maxFailures", "must be between 1 and 10000"),
            Map.entry("suspension.maxFailurePercent", "must be between 1 and 100"));
    assertThat(problems(batched(new BatchSpec(Strategy.AUTO, null, null, "zone"), 200, new SuspensionSpec(null, 20))))
        .isEmpty();
    assertThat(problems(batched(new BatchSpec(Strategy.AUTO, null, null, "zone"), 201, new SuspensionSpec(null, 20))))
        .containsExactly(Map.entry("concurrency", "must be between 1 and 200"));
  }

  static final TicketSpec EVERY_FIELD = new TicketSpec(Operation.REPAIR, List.of(3L, 1L), null, 7L,
      new BatchSpec(Strategy.FIXED, 2, null, null), 4, new SuspensionSpec(2, null),
      Instant.parse("2026-11-28T02:00:00Z"), RebootOption.REBOOT_IF_NEEDED, 900, "CHG0031337",
      new TicketSpec.Callback("https://itsm.example.com/cb", "a-long-shared-secret-42"));

  @Test
  void parametersAreTheRequestAsGivenWithTheCallbackSecretMasked() {
    assertThat(EVERY_FIELD.parametersJson()).isEqualTo("{\"operation\":\"REPAIR\",\"hostIds\":[3,1],\"baselineId\":7,"
        + "\"batch\":{\"strategy\":\"FIXED\",\"size\":2},\"concurrency\":4,\"suspension\":{\"maxFailures\":2},"
        + "\"startAt\":\"2026-11-28T02:00:00Z\",\"rebootOption\":\"REBOOT_IF_NEEDED\",\"rebootTimeoutSeconds\":900,"
        + "\"externalRef\":\"CHG0031337\",\"callback\":{\"url\":\"https://itsm.example.com/cb\",\"secret\":\"********\"}}");
    assertThat(scan(List.of(1L)).parametersJson()).isEqualTo("{\"operation\":\"SCAN\",\"hostIds\":[1]}");
  }

  /** The masked copy of the parameters keeps the metadata refresh; left out, it stays out (and means AUTO). */
  @Test
  void parametersKeepTheMetadataRefreshAsGiven() {
    TicketSpec e = EVERY_FIELD;
    TicketSpec never = new TicketSpec(e.operation(), e.hostIds(), e.selector(), e.baselineId(), e.batch(),
        e.concurrency(), e.suspension(), e.startAt(), e.rebootOption(), e.rebootTimeoutSeconds(), e.externalRef(),
        e.callback(), MetadataRefresh.NEVER);
    assertThat(never.parametersJson()).endsWith(",\"secret\":\"********\"},\"metadataRefresh\":\"NEVER\"}");
    assertThat(never.canonicalJson()).isNotEqualTo(EVERY_FIELD.canonicalJson()).endsWith(",\"metadataRefresh\":\"NEVER\"}");
    assertThat(never.metadataRefreshOrDefault()).isEqualTo(MetadataRefresh.NEVER);
    assertThat(EVERY_FIELD.parametersJson()).doesNotContain("metadataRefresh");
    assertThat(EVERY_FIELD.metadataRefreshOrDefault()).isEqualTo(MetadataRefresh.AUTO);
  }

  /** Stored idempotency keys are bound to the hash of this text: it must never change for the same request. */
  @Test
  void theCanonicalBodyKeepsTheSecret() {
    assertThat(EVERY_FIELD.canonicalJson()).isEqualTo("{\"operation\":\"REPAIR\",\"hostIds\":[3,1],"
        + "\"baselineId\":7,\"batch\":{\"strategy\":\"FIXED\",\"size\":2},\"concurrency\":4,"
        + "\"suspension\":{\"maxFailures\":2},\"startAt\":\"2026-11-28T02:00:00Z\",\"rebootOption\":\"REBOOT_IF_NEEDED\","
        + "\"rebootTimeoutSeconds\":900,\"externalRef\":\"CHG0031337\","
        + "\"callback\":{\"url\":\"https://itsm.example.com/cb\",\"secret\":\"a-long-shared-secret-42\"}}");
    TicketSpec bySelector = new TicketSpec(Operation.SCAN, null, new TicketSpec.Selector(Map.of("app", "billing"),
        null, null, Host.ComplianceStatus.NON_COMPLIANT), null, null, null, null, null, null, null, null, null);
    assertThat(bySelector.canonicalJson()).isEqualTo(
        "{\"operation\":\"SCAN\",\"selector\":{\"tags\":{\"app\":\"billing\"},\"complianceStatus\":\"NON_COMPLIANT\"}}");
  }

  /** An idempotency key binds the canonical body: a map's entries in another order are the same request (review M2). */
  @Test
  void theCanonicalBodyListsSelectorTagsByKeyWhateverTheirOrder() {
    Map<String, String> appFirst = new LinkedHashMap<>();
    appFirst.put("app", "billing");
    appFirst.put("zone", "az1");
    Map<String, String> zoneFirst = new LinkedHashMap<>();
    zoneFirst.put("zone", "az1");
    zoneFirst.put("app", "billing");
    TicketSpec one = new TicketSpec(Operation.SCAN, null, new TicketSpec.Selector(appFirst, null, null, null), null,
        null, null, null, null, null, null, null, null);
    TicketSpec other = new TicketSpec(Operation.SCAN, null, new TicketSpec.Selector(zoneFirst, null, null, null), null,
        null, null, null, null, null, null, null, null);
    assertThat(other.canonicalJson()).isEqualTo(one.canonicalJson())
        .isEqualTo("{\"operation\":\"SCAN\",\"selector\":{\"tags\":{\"app\":\"billing\",\"zone\":\"az1\"}}}");
    assertThat(other.canonicalJsonInGivenOrder()).as("what keys stored before were bound to")
        .isEqualTo("{\"operation\":\"SCAN\",\"selector\":{\"tags\":{\"zone\":\"az1\",\"app\":\"billing\"}}}");
  }
}
