package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.api.csv.StrictCsv;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.reports.ReportStore;
import io.patchloop.testing.http.ApiClient;
import java.util.ArrayList;
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
 * The CVE and advisory views, through the API and the console, over eight hosts of
 * {@link SyntheticFleet} (three advisories, one CVE each; host i misses the first i % 4 of them,
 * hosts 3 and 7 never scanned; zones az1, az2, az3 in turn): the numbers are those the fleet was
 * made with.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetViewPagesTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "fleetviews", ApiTestProperties.EVERY_ROLE);
  }

  @LocalServerPort int port;
  @Autowired ReportStore reports;
  @Autowired BaselineStore baselines;
  ApiClient api;
  ApiClient viewerApi;
  ConsoleHttpClient viewer;

  @BeforeAll
  void fleet() {
    api = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
    viewerApi = api.as(ApiTestProperties.VIEWER);
    SyntheticFleet.create(api, reports, baselines, "fv", 8, 3);
    viewer = ConsoleHttpClient.signedIn(port, ApiTestProperties.VIEWER);
  }

  @Test
  void theCveListCountsHostsPerStateMostAffectedFirst() {
    JsonNode page = viewerApi.get("/api/v1/cves").json();
    assertThat(page.get("total").asInt()).isEqualTo(3);
    List<String> order = new ArrayList<>();
    page.get("items").forEach(i -> order.add(i.get("cve").asText()));
    // CVE 0 is missing on hosts 1, 2, 5, 6; CVE 1 on 2 and 6; CVE 2 on none
    assertThat(order).containsExactly("CVE-2026-00000", "CVE-2026-00001", "CVE-2026-00002");
    JsonNode first = page.get("items").get(0);
    assertThat(first.get("hosts").asInt()).isEqualTo(6);
    assertThat(first.get("affectedHosts").asInt()).isEqualTo(4);
    assertThat(first.get("hostsByState").get("MISSING").asInt()).isEqualTo(4);
    assertThat(first.get("hostsByState").get("INSTALLED").asInt()).isEqualTo(2);
    assertThat(first.get("severity").asText()).isEqualTo("CRITICAL");
    assertThat(first.get("advisories").get(0).asText()).isEqualTo("SYN-SA-2026-0000");

    // filters: only CVEs with a MISSING host; only CENTOS hosts (the odd ones, of which 1 and 5 have a
    // report, both missing CVE 0); zone az1 (hosts 0, 3, 6)
    assertThat(viewerApi.get("/api/v1/cves?state=MISSING").json().get("total").asInt()).isEqualTo(2);
    JsonNode centos = viewerApi.get("/api/v1/cves?osFamily=CENTOS").json().get("items").get(0);
    assertThat(centos.get("hosts").asInt()).isEqualTo(2);
    assertThat(centos.get("affectedHosts").asInt()).isEqualTo(2);
    JsonNode az1 = viewerApi.get("/api/v1/cves?tag=zone:az1&text=00001").json();
    assertThat(az1.get("total").asInt()).isEqualTo(1);
    assertThat(az1.get("items").get(0).get("hostsByState").get("MISSING").asInt()).isEqualTo(1);
    assertThat(az1.get("items").get(0).get("hostsByState").get("INSTALLED").asInt()).isEqualTo(1);
  }

  @Test
  void oneCveAndOneAdvisoryListTheirHostsWithPackages() {
    JsonNode cve = viewerApi.get("/api/v1/cves/CVE-2026-00001?state=MISSING").json();
    assertThat(cve.get("cve").get("affectedHosts").asInt()).isEqualTo(2);
    assertThat(cve.get("hosts").get("total").asInt()).isEqualTo(2);
    List<String> names = new ArrayList<>();
    cve.get("hosts").get("items").forEach(h -> names.add(h.get("hostName").asText()));
    assertThat(names).containsExactly("fv-2", "fv-6");
    JsonNode pkg = cve.get("hosts").get("items").get(0).get("packages").get(0);
    assertThat(pkg.get("installed").asText()).isEqualTo("1.0-1");
    assertThat(pkg.get("fixed").asText()).isEqualTo("1.0-2");

    JsonNode advisory = viewerApi.get("/api/v1/advisories/SYN-SA-2026-0000").json();
    assertThat(advisory.get("advisory").get("category").asText()).isEqualTo("SECURITY");
    assertThat(advisory.get("advisory").get("cves").get(0).asText()).isEqualTo("CVE-2026-00000");
    assertThat(advisory.get("hosts").get("total").asInt()).isEqualTo(6);
    assertThat(viewerApi.get("/api/v1/advisories?category=BUGFIX").json().get("total").asInt()).isZero();
  }

  @Test
  void badInputIsA400NamingTheFieldAndAnUnknownIdA404() {
    assertThat(problemFields(viewerApi.get("/api/v1/cves?severity=HUGE"))).containsExactly("severity");
    assertThat(problemFields(viewerApi.get("/api/v1/cves?text=a%27b"))).containsExactly("text");
    assertThat(problemFields(viewerApi.get("/api/v1/cves?tag=zone"))).containsExactly("tag");
    assertThat(problemFields(viewerApi.get("/api/v1/cves/CVE-x"))).containsExactly("id");
    assertThat(problemFields(viewerApi.get("/api/v1/advisories?size=501"))).containsExactly("size");
    assertThat(viewerApi.get("/api/v1/cves/CVE-2020-12345").status()).isEqualTo(404);
    assertThat(viewerApi.get("/api/v1/advisories/NOPE-1").status()).isEqualTo(404);
    assertThat(api.as("not-a-token").get("/api/v1/cves").status()).isEqualTo(401);
  }

  @Test
  void theConsolePagesShowTheSameNumbersAndLinkEachOther() {
    Document list = viewer.page("/console/cves");
    Element row = list.selectFirst("#cves tr[data-cve=CVE-2026-00000]");
    assertThat(row.selectFirst("td.affected").text()).isEqualTo("4");
    assertThat(row.selectFirst("td[data-state=MISSING]").text()).isEqualTo("4");
    assertThat(row.selectFirst("a[href=/console/advisories/SYN-SA-2026-0000]")).isNotNull();

    Document one = viewer.page("/console/cves/CVE-2026-00001?state=MISSING");
    assertThat(one.getElementById("cve-affected").text()).isEqualTo("2");
    assertThat(one.select("#host-patches tbody tr[data-host]")).extracting(e -> e.attr("data-host"))
        .containsExactly("fv-2", "fv-6");

    Document advisories = viewer.page("/console/advisories?state=MISSING");
    assertThat(advisories.select("#advisories tbody tr[data-advisory]")).extracting(e -> e.attr("data-advisory"))
        .containsExactly("SYN-SA-2026-0000", "SYN-SA-2026-0001");
    Document advisory = viewer.page("/console/advisories/SYN-SA-2026-0001");
    assertThat(advisory.getElementById("advisory-hosts").text()).isEqualTo("6");
    assertThat(advisory.selectFirst("td[data-state=MISSING] a").attr("href"))
        .isEqualTo("/console/advisories/SYN-SA-2026-0001?state=MISSING");
    // an operator can repair the hosts missing it from there, a viewer cannot
    assertThat(advisory.getElementById("repair-missing")).isNull();
    String repair = ConsoleHttpClient.signedIn(port, ApiTestProperties.OPERATOR).page("/console/advisories/SYN-SA-2026-0001")
        .getElementById("repair-missing").attr("href");
    assertThat(repair).isEqualTo("/console/tickets/new?operation=REPAIR&missingAdvisory=SYN-SA-2026-0001");
    // a host's report links its advisories and CVEs to these pages
    long host = api.get("/api/v1/hosts?size=1").json().get("items").get(0).get("id").asLong();
    assertThat(viewer.page("/console/hosts/" + host).select("#patches a[href^=/console/cves/]")).isNotEmpty();
  }

  @Test
  void everyViewAlsoComesAsCsvWithEveryRowWhateverThePage() {
    List<List<String>> cves = StrictCsv.parse(viewerApi.get("/api/v1/cves?format=csv&size=1").body());
    assertThat(cves.get(0)).startsWith("cve", "severity", "advisories", "hosts", "affectedHosts", "INSTALLED");
    assertThat(cves).hasSize(1 + 3);
    assertThat(cves.get(1)).startsWith("CVE-2026-00000", "CRITICAL", "SYN-SA-2026-0000", "6", "4");

    List<List<String>> advisories = StrictCsv.parse(viewerApi.get("/api/v1/advisories?format=csv&state=MISSING").body());
    assertThat(advisories).hasSize(1 + 2);

    // one CVE's host patches, asked for by the Accept header: one row per host whose report lists it
    var hosts = viewerApi.get("/api/v1/cves/CVE-2026-00001", "Accept", "text/csv");
    assertThat(hosts.contentType()).startsWith("text/csv");
    List<List<String>> rows = StrictCsv.parse(hosts.body());
    assertThat(rows.get(0)).containsExactly("subject", "hostId", "hostName", "osFamily", "advisoryId", "state",
        "complianceLevel", "packages", "scannedAt");
    assertThat(rows).hasSize(1 + 6);
    assertThat(rows.stream().skip(1).filter(r -> r.get(5).equals("MISSING")).map(r -> r.get(2)))
        .containsExactly("fv-2", "fv-6");
    assertThat(rows.get(1).get(7)).isEqualTo("pkg1.x86_64 1.0-1->1.0-1");
    assertThat(StrictCsv.parse(viewerApi.get("/api/v1/advisories/SYN-SA-2026-0002?format=csv").body())).hasSize(1 + 6);
    // a 404 and a bad format are still problems, not files
    assertThat(viewerApi.get("/api/v1/cves/CVE-2020-12345?format=csv").status()).isEqualTo(404);
    assertThat(problemFields(viewerApi.get("/api/v1/advisories?format=xlsx"))).containsExactly("format");
  }

  /** Each page's download button gives the API's CSV for the page's own filters, to a signed-in viewer. */
  @Test
  void theDownloadButtonsGiveTheSameFilesAsTheApi() {
    record Case(String page, String api) {}
    long host = api.get("/api/v1/hosts?size=1").json().get("items").get(0).get("id").asLong();
    for (Case c : List.of(
        new Case("/console/cves?state=MISSING&page=0", "/api/v1/cves?state=MISSING&format=csv"),
        new Case("/console/cves/CVE-2026-00000?osFamily=HCE", "/api/v1/cves/CVE-2026-00000?osFamily=HCE&format=csv"),
        new Case("/console/advisories?tag=zone:az1", "/api/v1/advisories?tag=zone:az1&format=csv"),
        new Case("/console/advisories/SYN-SA-2026-0001", "/api/v1/advisories/SYN-SA-2026-0001?format=csv"),
        new Case("/console/hosts?complianceStatus=NON_COMPLIANT", "/api/v1/hosts?complianceStatus=NON_COMPLIANT&format=csv"),
        new Case("/console/hosts/" + host, "/api/v1/hosts/" + host + "/compliance?format=csv"))) {
      String link = viewer.page(c.page()).getElementById("download-csv").attr("href");
      var file = viewer.get(link);
      assertThat(file.statusCode()).as(link).isEqualTo(200);
      assertThat(file.headers().firstValue("Content-Type").orElse("")).as(link).startsWith("text/csv");
      String expected = viewerApi.get(c.api()).body();
      assertThat(StrictCsv.parse(expected).size()).as(c.api()).isGreaterThan(1);
      assertThat(file.body()).as(link).isEqualTo(expected);
    }
  }

  static List<String> problemFields(ApiClient.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    List<String> fields = new ArrayList<>();
    response.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
    return fields;
  }
}
