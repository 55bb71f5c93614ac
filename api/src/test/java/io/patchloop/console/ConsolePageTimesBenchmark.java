package io.patchloop.console;

import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.reports.ReportStore;
import io.patchloop.testing.http.ApiClient;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * How long each console page takes with 1,000 hosts and their reports, beside the API's JSON for
 * the same data measured in the same run (the ratio is what a noisy shared machine can compare).
 * The fleet is {@link SyntheticFleet}'s: hosts registered through the API, reports written by the
 * scan's store and engine, {@code patchloop.bench.advisories} (200) advisories per host.
 * Time is to the last byte over loopback, after warm-up, as a median and 95th percentile of 30
 * requests each. Not part of the normal suite; run it with {@code -Dpatchloop.bench=console-pages}.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EnabledIfSystemProperty(named = "patchloop.bench", matches = "console-pages")
class ConsolePageTimesBenchmark {

  static final int HOSTS = Integer.getInteger("patchloop.bench.hosts", 1_000);
  static final int ADVISORIES = Integer.getInteger("patchloop.bench.advisories", 200);
  static final int WARM_UP = 10;
  static final int RUNS = 30;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "consolebench", ApiTestProperties.EVERY_ROLE);
  }

  @LocalServerPort int port;
  @Autowired ReportStore reports;
  @Autowired BaselineStore baselines;

  @Test
  void pageTimesWithAThousandHosts() {
    ApiClient api = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
    long seeding = System.nanoTime();
    List<Long> ids = SyntheticFleet.create(api, reports, baselines, "bench", HOSTS, ADVISORIES);
    System.out.printf(Locale.ROOT, "seeded %d hosts with %d advisories each in %.0f s%n", HOSTS, ADVISORIES,
        (System.nanoTime() - seeding) / 1e9);
    ConsoleHttpClient console = ConsoleHttpClient.signedIn(port, ApiTestProperties.ADMIN);
    long reported = ids.get(2);
    String picked = ids.subList(0, 50).stream().map(id -> "hostIds=" + id).collect(Collectors.joining("&"));

    System.out.println("| page | console median | p95 | bytes | API beside it | API median | console / API |");
    System.out.println("|---|---|---|---|---|---|---|");
    row("dashboard", () -> page(console, "/console"), "summary + summary by OS + by tag",
        () -> multi(api, "/api/v1/compliance/summary", "/api/v1/compliance/summary?groupBy=os",
            "/api/v1/compliance/summary?groupBy=tag:zone"));
    row("hosts, page 1", () -> page(console, "/console/hosts"), "hosts, 50", () -> json(api, "/api/v1/hosts?size=50"));
    row("hosts, page 6, non-compliant", () -> page(console, "/console/hosts?complianceStatus=NON_COMPLIANT&page=5"),
        "same filter", () -> json(api, "/api/v1/hosts?size=50&page=5&complianceStatus=NON_COMPLIANT"));
    row("host report (" + ADVISORIES + " patches)", () -> page(console, "/console/hosts/" + reported), "its report",
        () -> json(api, "/api/v1/hosts/" + reported + "/compliance"));
    row("host report, MISSING only", () -> page(console, "/console/hosts/" + reported + "?state=MISSING"), "its report",
        () -> json(api, "/api/v1/hosts/" + reported + "/compliance"));
    row("tickets", () -> page(console, "/console/tickets"), "tickets", () -> json(api, "/api/v1/tickets"));
    row("baselines", () -> page(console, "/console/baselines"), "baselines", () -> json(api, "/api/v1/baselines"));
    row("inspection plans", () -> page(console, "/console/plans"), "plans", () -> json(api, "/api/v1/inspection-plans"));
    row("notifications", () -> page(console, "/console/notifications"), "channels",
        () -> json(api, "/api/v1/notification-channels"));
    row("credentials", () -> page(console, "/console/credentials"), "credentials", () -> json(api, "/api/v1/credentials"));
    row("edit host", () -> page(console, "/console/hosts/" + reported + "/edit"), "the host",
        () -> json(api, "/api/v1/hosts/" + reported));
    row("new ticket, 50 hosts picked", () -> page(console, "/console/tickets/new?operation=SCAN&" + picked), "hosts, 50",
        () -> json(api, "/api/v1/hosts?size=50"));
  }

  private void row(String page, Supplier<Fetched> consolePage, String apiName,
      Supplier<Fetched> apiCall) {
    Timing c = time(consolePage);
    Timing a = time(apiCall);
    System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %,d | %s | %.1f ms | %.1f |%n", page, c.median, c.p95,
        c.bytes, apiName, a.median, c.median / a.median);
  }

  /** What a request brought back: its status and body. */
  record Fetched(int status, String body, String what) {}

  private static Fetched page(ConsoleHttpClient console, String path) {
    var r = console.get(path);
    return new Fetched(r.statusCode(), r.body(), path);
  }

  private static Fetched json(ApiClient api, String path) {
    var r = api.get(path);
    return new Fetched(r.status(), r.body(), path);
  }

  /** Several API calls one after the other, as a client would make them for one view. */
  private static Fetched multi(ApiClient api, String... paths) {
    Fetched last = null;
    int bytes = 0;
    for (String path : paths) {
      last = json(api, path);
      bytes += last.body().length();
      if (last.status() != 200) {
        return last;
      }
    }
    return new Fetched(200, "x".repeat(bytes), String.join(" + ", paths));
  }

  record Timing(double median, double p95, int bytes) {}

  private static Timing time(Supplier<Fetched> request) {
    int bytes = 0;
    for (int i = 0; i < WARM_UP; i++) {
      Fetched r = request.get();
      if (r.status() != 200) {
        throw new AssertionError("not 200: " + r.status() + " " + r.what() + "\n" + r.body());
      }
      bytes = r.body().length();
    }
    double[] ms = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long t = System.nanoTime();
      request.get();
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return new Timing(ms[RUNS / 2], ms[(int) Math.ceil(RUNS * 0.95) - 1], bytes);
  }

}
