package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.reports.ReportStore;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.workflows.TicketSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.testing.TestWorkflowEnvironment;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The ticket form's settings beyond the hosts (selector, batch strategy, suspension, metadata
 * refresh, start time in the browser's zone, ticketing reference) reach the ticket as the API stores them; a REPAIR's
 * preview carries every setting to the confirmed ticket; the list filters by time and reference.
 * No worker runs here: a ticket is started and stored, which is all these pages decide.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTicketPagesTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "consoletickets", ApiTestProperties.EVERY_ROLE);
  }

  @LocalServerPort int port;
  @Autowired ReportStore reports;
  @Autowired BaselineStore baselines;
  @Autowired TestWorkflowEnvironment temporal;
  ApiClient api;
  ConsoleHttpClient operator;
  List<Long> hostIds;

  @BeforeAll
  void fleet() {
    for (var key : TicketSearchAttributes.ALL) {
      temporal.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    api = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
    // 12 hosts: zones az1..az3, HCE and CentOS, six of them non-compliant (SyntheticFleet)
    hostIds = SyntheticFleet.create(api, reports, baselines, "tix", 12, 2);
    operator = ConsoleHttpClient.signedIn(port, ApiTestProperties.OPERATOR);
  }

  @Test
  void aScanBySelectorWithBatchesSuspensionStartTimeAndReference() {
    List<Map.Entry<String, String>> form = form("SCAN");
    form.addAll(List.of(Map.entry("tags", "zone:az1"), Map.entry("osFamily", "HCE"),
        Map.entry("batchStrategy", "AUTO"), Map.entry("batchPercent", "50"), Map.entry("batchTagKey", "zone"),
        Map.entry("maxFailures", "2"), Map.entry("concurrency", "3"), Map.entry("externalRef", "CHG0042001"),
        Map.entry("startAt", "2027-01-05T02:00"), Map.entry("zone", "Asia/Shanghai"),
        Map.entry("metadataRefresh", "NEVER")));
    JsonNode ticket = created(operator.post("/console/tickets", form));
    JsonNode parameters = ticket.get("parameters");
    assertThat(parameters.get("selector").get("tags").get("zone").asText()).isEqualTo("az1");
    assertThat(parameters.get("selector").get("osFamily").asText()).isEqualTo("HCE");
    assertThat(parameters.has("hostIds")).isFalse();
    assertThat(parameters.get("batch").get("strategy").asText()).isEqualTo("AUTO");
    assertThat(parameters.get("batch").get("percent").asInt()).isEqualTo(50);
    assertThat(parameters.get("batch").get("tagKey").asText()).isEqualTo("zone");
    assertThat(parameters.get("suspension").get("maxFailures").asInt()).isEqualTo(2);
    assertThat(parameters.get("concurrency").asInt()).isEqualTo(3);
    assertThat(parameters.get("metadataRefresh").asText()).isEqualTo("NEVER");
    assertThat(operator.page("/console/tickets/" + ticket.get("id").asText()).getElementById("ticket-metadata-refresh")
        .text()).isEqualTo("Never: the cache as it is (NEVER)");
    assertThat(ticket.get("externalRef").asText()).isEqualTo("CHG0042001");
    assertThat(ticket.get("startAt").asText()).as("02:00 in Shanghai").isEqualTo("2027-01-04T18:00:00Z");
    // HCE hosts in az1 are hosts 0 and 6 of the fleet
    assertThat(ticket.get("hostCount").asInt()).isEqualTo(2);
  }

  @Test
  void theFormOffersTheThreeMetadataRefreshesWithAutoChosen() {
    Document page = operator.page("/console/tickets/new");
    assertThat(page.select("#metadataRefresh option")).extracting(Element::val).containsExactly("AUTO", "ALWAYS", "NEVER");
    assertThat(page.select("#metadataRefresh option[selected]")).extracting(Element::val).containsExactly("AUTO");
  }

  @Test
  void aFormThatCannotBeATicketShowsEachProblemAndStartsNothing() {
    int before = ticketCount();
    List<Map.Entry<String, String>> form = form("SCAN");
    form.addAll(List.of(Map.entry("hostIds", hostIds.get(0).toString()), Map.entry("batchStrategy", "FIXED"),
        Map.entry("externalRef", "not a reference!"), Map.entry("maxFailurePercent", "250")));
    HttpResponse<String> sent = operator.post("/console/tickets", form);
    assertThat(sent.statusCode()).isEqualTo(200);
    Document page = Jsoup.parse(sent.body());
    assertThat(page.select("#form-problems strong")).extracting(Element::text)
        .contains("externalRef", "suspension.maxFailurePercent", "batch.size");
    assertThat(page.getElementById("externalRef").val()).as("the form keeps what was typed").isEqualTo("not a reference!");

    List<Map.Entry<String, String>> badTime = form("SCAN");
    badTime.addAll(List.of(Map.entry("hostIds", hostIds.get(0).toString()), Map.entry("startAt", "next tuesday")));
    Document timePage = Jsoup.parse(operator.post("/console/tickets", badTime).body());
    assertThat(timePage.select("#form-problems").text()).contains("startAt").contains("2026-12-24T02:00");
    assertThat(ticketCount()).isEqualTo(before);
  }

  @Test
  void aRepairBySelectorIsPreviewedWithItsGroupsAndTheConfirmedTicketIsThePreviewedOne() {
    int before = ticketCount();
    List<Map.Entry<String, String>> form = form("REPAIR");
    form.addAll(List.of(Map.entry("complianceStatus", "NON_COMPLIANT"), Map.entry("batchStrategy", "PERCENT"),
        Map.entry("batchPercent", "50"), Map.entry("maxFailurePercent", "20"), Map.entry("rebootOption", "NO_REBOOT"),
        Map.entry("externalRef", "CHG0042002"), Map.entry("metadataRefresh", "ALWAYS")));
    HttpResponse<String> previewed = operator.post("/console/tickets", form);
    assertThat(previewed.statusCode()).as(previewed.body()).isEqualTo(200);
    Document preview = Jsoup.parse(previewed.body());
    assertThat(ticketCount()).as("a preview starts nothing").isEqualTo(before);
    // the six non-compliant hosts, in two batches of three; each zone's hosts spread over both
    assertThat(preview.select(".preview-batch tr[data-host]")).hasSize(6);
    assertThat(preview.select("h2:matchesOwn(^Batch )")).hasSize(2);
    Element zones = preview.selectFirst("table.preview-groups[data-tag=zone]");
    assertThat(zones).as(preview.body().text()).isNotNull();
    assertThat(zones.select("tr[data-group] th")).extracting(Element::text).containsExactly("az1", "az2", "az3");

    List<Map.Entry<String, String>> confirmed = new ArrayList<>();
    for (Element input : preview.select("#confirm-form input[type=hidden]")) {
      confirmed.add(Map.entry(input.attr("name"), input.val()));
    }
    JsonNode ticket = created(operator.post("/console/tickets", confirmed));
    JsonNode parameters = ticket.get("parameters");
    assertThat(ticket.get("operation").asText()).isEqualTo("REPAIR");
    assertThat(ticket.get("hostCount").asInt()).isEqualTo(6);
    assertThat(parameters.get("selector").get("complianceStatus").asText()).isEqualTo("NON_COMPLIANT");
    assertThat(parameters.get("batch").get("strategy").asText()).isEqualTo("PERCENT");
    assertThat(parameters.get("suspension").get("maxFailurePercent").asInt()).isEqualTo(20);
    assertThat(parameters.get("rebootOption").asText()).isEqualTo("NO_REBOOT");
    assertThat(parameters.get("metadataRefresh").asText()).isEqualTo("ALWAYS");
    assertThat(ticket.get("externalRef").asText()).isEqualTo("CHG0042002");
    assertThat(ticketCount()).isEqualTo(before + 1);
  }

  /**
   * Issue 19: an advisory's page links "repair the hosts missing this advisory" to the form with the
   * advisory filled in; the preview shows exactly those hosts and the confirmed ticket keeps the filter.
   */
  @Test
  void aRepairOfTheHostsMissingAnAdvisoryFromALinkIsPreviewedAndStarted() {
    // SYN-SA-2026-0001 is missing on the hosts i % 4 == 2 of the fleet: 2, 6 and 10
    Document page = operator.page("/console/tickets/new?operation=REPAIR&missingAdvisory=SYN-SA-2026-0001");
    assertThat(page.getElementById("missingAdvisory").val()).isEqualTo("SYN-SA-2026-0001");
    assertThat(page.select("#operation option[selected]")).extracting(Element::val).containsExactly("REPAIR");

    int before = ticketCount();
    List<Map.Entry<String, String>> form = form("REPAIR");
    form.add(Map.entry("missingAdvisory", "SYN-SA-2026-0001"));
    HttpResponse<String> previewed = operator.post("/console/tickets", form);
    assertThat(previewed.statusCode()).as(previewed.body()).isEqualTo(200);
    Document preview = Jsoup.parse(previewed.body());
    assertThat(preview.select(".preview-batch tr[data-host]")).extracting(e -> e.attr("data-host"))
        .containsExactly("tix-2", "tix-6", "tix-10");
    assertThat(ticketCount()).as("a preview starts nothing").isEqualTo(before);

    List<Map.Entry<String, String>> confirmed = new ArrayList<>();
    for (Element input : preview.select("#confirm-form input[type=hidden]")) {
      confirmed.add(Map.entry(input.attr("name"), input.val()));
    }
    JsonNode ticket = created(operator.post("/console/tickets", confirmed));
    assertThat(ticket.get("hostCount").asInt()).isEqualTo(3);
    assertThat(ticket.get("parameters").get("selector").get("missingAdvisory").asText()).isEqualTo("SYN-SA-2026-0001");

    List<Map.Entry<String, String>> bad = form("REPAIR");
    bad.add(Map.entry("missingAdvisory", "SYN SA"));
    Document refused = Jsoup.parse(operator.post("/console/tickets", bad).body());
    assertThat(refused.select("#form-problems strong")).extracting(Element::text).contains("selector.missingAdvisory");
    assertThat(ticketCount()).isEqualTo(before + 1);
  }

  @Test
  void theListFiltersByReferenceAndByDaysInTheBrowsersZone() {
    List<Map.Entry<String, String>> form = form("SCAN");
    form.addAll(List.of(Map.entry("hostIds", hostIds.get(1).toString()), Map.entry("externalRef", "INC-filter-7")));
    String id = created(operator.post("/console/tickets", form)).get("id").asText();

    assertThat(listed("/console/tickets?externalRef=INC-filter-7")).containsExactly(id);
    assertThat(listed("/console/tickets?externalRef=INC-filter-8")).isEmpty();
    // "to" is the whole of that day where the browser is
    ZoneId honolulu = ZoneId.of("Pacific/Honolulu");
    LocalDate today = LocalDate.now(honolulu);
    assertThat(listed("/console/tickets?externalRef=INC-filter-7&zone=Pacific/Honolulu&to=" + today)).containsExactly(id);
    assertThat(listed("/console/tickets?externalRef=INC-filter-7&zone=Pacific/Honolulu&from=" + today)).containsExactly(id);
    assertThat(listed("/console/tickets?externalRef=INC-filter-7&zone=Pacific/Honolulu&to=" + today.minusDays(1))).isEmpty();
    assertThat(listed("/console/tickets?externalRef=INC-filter-7&zone=Pacific/Honolulu&from=" + today.plusDays(1))).isEmpty();
    Document shown = operator.page("/console/tickets?externalRef=INC-filter-7");
    assertThat(shown.select("#ticket-list tr[data-ticket] td.mono").text()).isEqualTo("INC-filter-7");
    assertThat(operator.get("/console/tickets?zone=Mars/Olympus").statusCode()).isEqualTo(400);
  }

  /** A form as the page sends it: the CSRF token and a key of its own. */
  private List<Map.Entry<String, String>> form(String operation) {
    List<Map.Entry<String, String>> form = new ArrayList<>();
    form.add(Map.entry("_csrf", operator.csrf("/console/tickets/new")));
    form.add(Map.entry("formKey", "console-test-" + System.nanoTime()));
    form.add(Map.entry("operation", operation));
    if (operation.equals("REPAIR")) {
      form.add(Map.entry("confirmed", "false"));
    }
    return form;
  }

  /** The ticket the form started, as the API shows it. */
  private JsonNode created(HttpResponse<String> sent) {
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(302);
    String location = sent.headers().firstValue("Location").orElseThrow();
    assertThat(location).contains("/console/tickets/");
    String id = location.substring(location.lastIndexOf('/') + 1);
    return api.get("/api/v1/tickets/" + id).json().get("ticket");
  }

  private List<String> listed(String path) {
    return operator.page(path).select("#ticket-list tr[data-ticket]").stream().map(e -> e.attr("data-ticket")).toList();
  }

  private int ticketCount() {
    return api.get("/api/v1/tickets").json().get("total").asInt();
  }
}
