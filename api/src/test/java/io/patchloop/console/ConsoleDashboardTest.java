package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.reports.ReportStore;
import io.patchloop.testing.http.ApiClient;
import java.util.List;
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
 * The dashboard over eight hosts with reports written by the scan's own store and engine
 * ({@link SyntheticFleet}): its numbers are those the fleet was made with, and each breakdown
 * agrees with the API's summary for the same grouping.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleDashboardTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "consoledash", ApiTestProperties.EVERY_ROLE);
  }

  @LocalServerPort int port;
  @Autowired ReportStore reports;
  @Autowired BaselineStore baselines;
  @Autowired io.patchloop.reports.ComplianceHistoryStore history;
  ApiClient api;
  ConsoleHttpClient viewer;

  @BeforeAll
  void fleet() {
    api = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
    // hosts 0 and 4 compliant; 1 and 5 miss one patch, 2 and 6 two; 3 and 7 never scanned
    SyntheticFleet.create(api, reports, baselines, "dash", 8, 3);
    viewer = ConsoleHttpClient.signedIn(port, ApiTestProperties.VIEWER);
  }

  @Test
  void hostsByStatusAsNumbersAndAsAChartThatSaysTheSame() {
    Document page = viewer.page("/console");
    assertThat(page.getElementById("hosts-total").text()).isEqualTo("8");
    assertThat(page.getElementById("hosts-compliant").text()).isEqualTo("2");
    assertThat(page.getElementById("hosts-non-compliant").text()).isEqualTo("4");
    assertThat(page.getElementById("hosts-unknown").text()).isEqualTo("2");
    Element chart = page.getElementById("hosts-chart");
    assertThat(chart.attr("aria-label")).isEqualTo("2 compliant, 4 non-compliant, 2 never scanned");
    assertThat(chart.select("rect")).extracting(r -> r.attr("width")).containsExactly("25.0", "50.0", "25.0");
  }

  @Test
  void nonCompliantPatchesByLevelAgreeWithTheApiSummary() {
    JsonNode byLevel = api.get("/api/v1/compliance/summary").json().get("overall").get("patchesByLevel");
    Document page = viewer.page("/console");
    long shown = 0;
    for (Element row : page.select("#by-level tbody tr")) {
      JsonNode states = byLevel.get(row.attr("data-level"));
      long missing = states.get("MISSING").asLong();
      assertThat(row.select("td").get(1).text()).as(row.attr("data-level")).isEqualTo(Long.toString(missing));
      shown += Long.parseLong(row.selectFirst("td.count").text());
    }
    // 1 + 2 + 1 + 2 missing patches on the four non-compliant hosts
    assertThat(shown).isEqualTo(6);
  }

  @Test
  void byOsAndByTheChosenTag() {
    Document page = viewer.page("/console");
    assertThat(row(page, "by-os", "HCE")).containsExactly("HCE", "4", "2", "2", "0", "4");
    assertThat(row(page, "by-os", "CENTOS")).containsExactly("CENTOS", "4", "0", "2", "2", "2");
    assertThat(page.select("#group-tag option[selected]").text()).as("the first tag key by default").isEqualTo("zone");
    // zone az1: hosts 0, 3, 6; az2: 1, 4, 7; az3: 2, 5
    assertThat(row(page, "by-tag", "az1")).containsExactly("az1", "3", "1", "1", "1", "2");
    assertThat(row(page, "by-tag", "az2")).containsExactly("az2", "3", "1", "1", "1", "1");
    assertThat(row(page, "by-tag", "az3")).containsExactly("az3", "2", "0", "2", "0", "3");
    JsonNode api3 = api.get("/api/v1/compliance/summary?groupBy=tag:zone").json().get("groups").get("az3");
    assertThat(api3.get("nonCompliant").asInt()).isEqualTo(2);

    assertThat(viewer.get("/console?tag=no%20such%20key").statusCode()).as("a tag key that cannot be").isEqualTo(400);
    assertThat(row(viewer.page("/console?tag=rack"), "by-tag", "(none)"))
        .as("a key no host carries: every host is in the group without it").containsExactly("(none)", "8", "2", "4", "2", "6");
  }

  @Test
  void theWorstHostsComeFirst() {
    Document page = viewer.page("/console");
    assertThat(page.select("#worst-hosts tbody tr")).extracting(r -> r.attr("data-host"))
        .containsExactly("dash-2", "dash-6", "dash-1", "dash-5");
    assertThat(page.select("#worst-hosts tr[data-host=dash-2] td.count").text()).isEqualTo("2");
  }

  private static List<String> row(Document page, String table, String group) {
    Element row = page.selectFirst("#" + table + " tr[data-group='" + group + "']");
    assertThat(row).as(table + " " + group + " in " + page.select("#" + table)).isNotNull();
    return row.select("th, td").stream().limit(6).map(Element::text).toList();
  }

  /**
   * The trend shows one column and one table row per daily snapshot, with the snapshot's numbers:
   * a day taken through the API now, and the day before written by the store (as the workflow
   * writes it).
   */
  @Test
  void theTrendShowsEachDailySnapshot() {
    assertThat(api.post("/api/v1/compliance/history/snapshots", "").status()).isEqualTo(201);
    java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
    history.snapshot(today.minusDays(1), java.time.Instant.now(), List.of());
    Document page = viewer.page("/console");
    assertThat(page.select("#trend tbody tr")).extracting(r -> r.attr("data-day"))
        .containsExactly(today.minusDays(1).toString(), today.toString());
    org.jsoup.nodes.Element row = page.selectFirst("#trend tr[data-day=" + today + "]");
    assertThat(row.selectFirst("td.compliant").text()).isEqualTo("2");
    assertThat(row.selectFirst("td.non-compliant").text()).isEqualTo("4");
    assertThat(row.selectFirst("td.share").text()).isEqualTo("25.0 %");
    assertThat(page.select("#trend-chart g")).hasSize(2);
    assertThat(page.getElementById("trend-chart").attr("aria-label")).endsWith(today + ": 25.0 % compliant");
  }
}
