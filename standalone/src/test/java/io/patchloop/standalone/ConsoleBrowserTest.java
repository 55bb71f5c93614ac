package io.patchloop.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.testing.lab.LabFleet;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's headless Chromium through chromedriver) against the whole
 * standalone platform and three real lab hosts: the flow a person takes, in order. Sign in, create
 * a baseline in the Baselines editor, scan the three hosts against it from the Hosts page, read
 * the reports, open one, repair it without a restart from its report (preview, then confirm),
 * watch the ticket page update itself until the host is compliant; a viewer's view and its forged POST; a form without its CSRF token; pause and resume
 * from the ticket page; sign-out.
 *
 * <p>With {@code -Dpatchloop.screenshots=true} each page is also saved as a PNG at 1280 px into
 * docs/console/ (the README shows them); without it nothing in the checkout changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest extends ConsoleBrowserSupport {

  @RegisterExtension
  static LabFleet fleet = LabFleet.builder().hosts(3).profile("demo").build();

  static final String ADMIN = "console-admin-token-0123456789abcdef";
  static final String VIEWER = "console-viewer-token-0123456789abcdef";
  /** The advisory the test baseline wants and the demo's missing-some host lacks: sudo, Critical, no restart. */
  static final String SUDO_ADVISORY = "HCE2-SA-2026-0107";

  TestPlatform platform;
  long baselineId;
  Map<String, Long> ids;
  LabFleet.Host missingSome;
  LabFleet.Host patched;
  LabFleet.Host rejectable;

  @BeforeAll
  void start() throws IOException {
    platform = TestPlatform.startWithTokens(List.of(new TestPlatform.Token("admin", ADMIN, "ADMIN"),
        new TestPlatform.Token("watcher", VIEWER, "VIEWER")));
    ids = platform.importFleet(fleet, h -> Map.of("zone", "az" + (h.index() % 2 + 1)));
    missingSome = fleet.hostIn("demo", "missing-some");
    patched = fleet.hostIn("demo", "patched");
    rejectable = fleet.hostIn("demo", "rejectable");

    startBrowser("http://127.0.0.1:" + platform.running.apiPort());
  }

  @AfterAll
  void stop() {
    quitBrowser();
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  @Order(1)
  void aWrongTokenIsRefusedAndTheAdminTokenSignsIn() {
    open("/console/hosts");
    assertThat(browser.getCurrentUrl()).as("pages want a sign-in").endsWith("/console/sign-in");
    screenshot("sign-in");
    signIn("not-a-token-of-this-platform-xxxxxxxx");
    assertThat(text(By.id("sign-in-error"))).contains("not valid");

    signIn(ADMIN);
    assertThat(browser.getCurrentUrl()).as("back where the person wanted to go").contains("/console/hosts");
    assertThat(text(By.id("signed-in-as"))).contains("admin");
    Cookie session = browser.manage().getCookieNamed("PATCHLOOP_SESSION");
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Strict");
    assertThat(session.isSecure()).as("plain HTTP on loopback").isFalse();

    open("/console");
    assertThat(text(By.id("hosts-unknown"))).isEqualTo("3");
    assertThat(text(By.id("hosts-total"))).isEqualTo("3");
  }

  /** The baseline the rest of the flow scans and repairs against, made in the editor: Critical security patches count from the day they are issued. */
  @Test
  @Order(2)
  void createTheTestBaselineInTheBaselinesEditor() {
    open("/console/baselines");
    assertThat(text(By.cssSelector("tr[data-baseline='HCE-default'] .default-mark"))).isEqualTo("Default for HCE");
    clickAndLoad(By.id("new-baseline"));
    browser.findElement(By.id("name")).sendKeys("console-critical");
    new Select(browser.findElement(By.id("os"))).selectByValue("HCE");
    browser.findElement(By.id("rule-0-category-SECURITY")).click();
    browser.findElement(By.id("rule-0-severity-CRITICAL")).click();
    browser.findElement(By.id("rule-0-approveAfterDays")).sendKeys("0");
    new Select(browser.findElement(By.id("rule-0-complianceLevel"))).selectByValue("CRITICAL");

    // a row more and that row gone again: plain form posts, nothing saved, what was typed kept
    clickAndLoad(By.id("add-rule"));
    assertThat(browser.findElements(By.cssSelector("fieldset.rule"))).hasSize(2);
    clickAndLoad(By.id("remove-rule-1"));
    assertThat(browser.findElements(By.cssSelector("fieldset.rule"))).hasSize(1);
    assertThat(browser.findElement(By.id("rule-0-category-SECURITY")).isSelected()).isTrue();
    assertThat(browser.findElement(By.id("rule-0-approveAfterDays")).getAttribute("value")).isEqualTo("0");
    assertThat(platform.api.get("/api/v1/baselines").json().findValuesAsText("name")).doesNotContain("console-critical");
    screenshot("baseline-edit");
    // Enter in a field saves: the form's first submit button is a hidden Save, not "Remove rule 1"
    browser.findElement(By.id("name")).sendKeys(Keys.ENTER);

    waitUntil(Duration.ofSeconds(30), () -> browser.getCurrentUrl().matches(".*/console/baselines/\\d+")
        && !browser.findElements(By.id("baseline-name")).isEmpty());
    String url = browser.getCurrentUrl();
    baselineId = Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
    assertThat(text(By.id("notice"))).isEqualTo("Baseline 'console-critical' created.");
    assertThat(browser.findElements(By.cssSelector("#rules tr[data-rule='0'] td"))).extracting(WebElement::getText)
        .containsExactly("1", "All", "SECURITY", "CRITICAL", "0 days after release", "CRITICAL");
    JsonNode stored = platform.api.get("/api/v1/baselines/" + baselineId).json();
    assertThat(stored.get("os").asText()).isEqualTo("HCE");
    assertThat(stored.get("defaultForOs").asBoolean()).isFalse();
    assertThat(stored.get("rules")).hasSize(1);

    open("/console/baselines");
    assertThat(browser.findElements(By.cssSelector("tr[data-baseline='console-critical'] .default-mark"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector(".default-mark"))).extracting(WebElement::getText)
        .as("the built-in default of each OS, grouped by OS").containsExactly("Default for CENTOS",
            "Default for EULEROS", "Default for HCE", "Default for OPENEULER");
    screenshot("baselines");

    browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
    try {
      for (String page : List.of("/console/baselines", "/console/baselines/" + baselineId,
          "/console/baselines/" + baselineId + "/edit")) {
        open(page);
        Number pageWidth = (Number) browser.executeScript("return document.documentElement.scrollWidth");
        assertThat(pageWidth.intValue()).as(page + " does not scroll sideways at 390 px").isLessThanOrEqualTo(390);
      }
    } finally {
      browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }

  @Test
  @Order(3)
  void scanTheThreeLabHostsFromTheHostsPage() {
    open("/console/hosts");
    assertThat(browser.findElements(By.cssSelector("tr[data-host]"))).hasSize(3);
    screenshot("hosts");
    browser.findElement(By.cssSelector("input[data-select-all]")).click();
    clickAndLoad(By.id("scan-selected"));

    assertThat(browser.getCurrentUrl()).contains("/console/tickets/new");
    assertThat(browser.findElements(By.cssSelector("#ticket-form input[name=hostIds]:checked"))).hasSize(3);
    new Select(browser.findElement(By.id("baselineId"))).selectByValue(Long.toString(baselineId));
    screenshot("ticket-new");
    clickAndLoad(By.id("start-ticket"));

    String ticketId = ticketIdFromUrl();
    assertThat(ticketId).startsWith("scan-");
    markPage();
    waitUntil(Duration.ofMinutes(3), () -> text(By.id("ticket-status")).equals("COMPLETED"));
    assertThat(pageWasNotReloaded()).as("the status came by htmx, not by a reload").isTrue();
    assertThat(browser.findElements(By.cssSelector("#ticket-hosts .host-state")))
        .extracting(WebElement::getText).containsExactly("SUCCEEDED", "SUCCEEDED", "SUCCEEDED");
    assertThat(text(By.id("ticket-done"))).startsWith("3/3");
    screenshot("ticket");
  }

  @Test
  @Order(4)
  void theHostsAndTheDashboardShowTheReports() {
    open("/console/hosts");
    assertThat(compliance(missingSome)).isEqualTo("Non-compliant");
    assertThat(compliance(patched)).isEqualTo("Compliant");
    assertThat(compliance(rejectable)).isEqualTo("Non-compliant");
    WebElement scanned = browser.findElement(By.cssSelector("tr[data-host='" + patched.name() + "'] time"));
    assertThat(scanned.getText()).as("shown in the browser's zone, not as the ISO instant").doesNotEndWith("Z")
        .isNotEqualTo(scanned.getAttribute("datetime"));
    assertThat(scanned.getAttribute("title")).endsWith("Z");

    open("/console/hosts?complianceStatus=NON_COMPLIANT");
    assertThat(browser.findElements(By.cssSelector("tr[data-host]"))).extracting(e -> e.getAttribute("data-host"))
        .containsExactlyInAnyOrder(missingSome.name(), rejectable.name());

    open("/console");
    assertThat(text(By.id("hosts-compliant"))).isEqualTo("1");
    assertThat(text(By.id("hosts-non-compliant"))).isEqualTo("2");
    assertThat(text(By.id("hosts-unknown"))).isEqualTo("0");
    assertThat(browser.findElement(By.id("hosts-chart")).getAttribute("aria-label"))
        .isEqualTo("1 compliant, 2 non-compliant, 0 never scanned");
    assertThat(browser.findElements(By.cssSelector("#worst-hosts tr[data-host]")))
        .extracting(e -> e.getAttribute("data-host")).containsExactlyInAnyOrder(missingSome.name(), rejectable.name());
    assertThat(text(By.cssSelector("#by-tag tr[data-group='az1'] th"))).as("grouped by the fleet's zone tag").isEqualTo("az1");
    screenshot("dashboard");
  }

  @Test
  @Order(5)
  void aHostsReportListsEveryPatchAndFiltersByState() {
    open("/console/hosts");
    clickAndLoad(By.linkText(missingSome.name()));
    assertThat(text(By.id("report-status"))).isEqualTo("Non-compliant");
    assertThat(text(By.id("report-baseline"))).isEqualTo("console-critical");
    assertThat(text(By.id("report-kernel"))).contains("hce2");
    WebElement sudo = browser.findElement(By.cssSelector("#patches tr[data-advisory='" + SUDO_ADVISORY + "']"));
    assertThat(sudo.getText()).contains("Missing (to be repaired)").contains("CRITICAL")
        .contains("sudo.x86_64 1.9.8p2-9.hce2 → 1.9.8p2-14.hce2");
    assertThat(browser.findElements(By.cssSelector("#patches tr[data-state]")).size()).isGreaterThan(1);
    screenshot("host-report");

    new Select(browser.findElement(By.id("filter-state"))).selectByValue("MISSING");
    clickAndLoad(By.cssSelector("form.filters button"));
    assertThat(browser.findElements(By.cssSelector("#patches tr[data-state]")))
        .extracting(e -> e.getAttribute("data-state")).containsOnly("MISSING").hasSize(1);
  }

  @Test
  @Order(6)
  void repairTheHostWithoutRestartFromItsReportAndWatchItBecomeCompliant() {
    open("/console/hosts/" + ids.get(missingSome.name()));
    clickAndLoad(By.id("repair-host"));
    assertThat(new Select(browser.findElement(By.id("operation"))).getFirstSelectedOption().getAttribute("value"))
        .isEqualTo("REPAIR");
    assertThat(new Select(browser.findElement(By.id("rebootOption"))).getFirstSelectedOption().getAttribute("value"))
        .isEqualTo("NO_REBOOT");
    new Select(browser.findElement(By.id("baselineId"))).selectByValue(Long.toString(baselineId));
    clickAndLoad(By.id("start-ticket"));

    // the preview: nothing has started yet
    WebElement plan = browser.findElement(By.cssSelector(".preview-batch tr[data-host='" + missingSome.name() + "']"));
    assertThat(plan.getText()).contains(SUDO_ADVISORY).contains("sudo-1.9.8p2-14.hce2.x86_64");
    assertThat(platform.api.get("/api/v1/tickets?operation=REPAIR").json().get("total").asInt())
        .as("a preview starts nothing").isZero();
    screenshot("repair-preview");
    clickAndLoad(By.id("confirm-repair"));

    String ticketId = ticketIdFromUrl();
    assertThat(ticketId).startsWith("repair-");
    markPage();
    waitUntil(Duration.ofMinutes(3), () -> text(By.id("ticket-status")).equals("COMPLETED"));
    assertThat(pageWasNotReloaded()).isTrue();
    WebElement line = browser.findElement(By.cssSelector("#ticket-hosts tr[data-host='" + missingSome.name() + "']"));
    assertThat(line.findElement(By.className("host-state")).getText()).isEqualTo("SUCCEEDED");
    assertThat(line.findElement(By.className("host-compliance")).getText()).isEqualTo("Compliant");
    assertThat(fleet.ssh(missingSome.index(), "rpm -q sudo").stdout()).contains("1.9.8p2-14");

    open("/console/hosts/" + ids.get(missingSome.name()));
    assertThat(text(By.id("report-status"))).isEqualTo("Compliant");
    assertThat(browser.findElement(By.cssSelector("#patches tr[data-advisory='" + SUDO_ADVISORY + "']")).getText())
        .contains("Installed");
  }

  @Test
  @Order(7)
  void theTicketsPageListsAndFilters() {
    open("/console/tickets");
    assertThat(browser.findElements(By.cssSelector("#ticket-list tr[data-ticket]"))).hasSize(2);
    screenshot("tickets");
    new Select(browser.findElement(By.id("filter-operation"))).selectByValue("REPAIR");
    clickAndLoad(By.cssSelector("form.filters button"));
    assertThat(browser.findElements(By.cssSelector("#ticket-list tr[data-ticket]")))
        .extracting(e -> e.getAttribute("data-ticket")).singleElement().asString().startsWith("repair-");
  }

  @Test
  @Order(8)
  void aFormWithoutItsCsrfTokenIsRefused() {
    int before = ticketCount();
    open("/console/tickets/new?operation=SCAN&hostIds=" + ids.get(patched.name()));
    browser.executeScript("document.querySelectorAll('#ticket-form input[name=_csrf]').forEach(e => e.remove())");
    clickAndLoad(By.id("start-ticket"));
    assertThat(text(By.id("forbidden-reason"))).contains("CSRF token is missing or stale");
    assertThat(ticketCount()).isEqualTo(before);
  }

  @Test
  @Order(9)
  void pauseAndResumeFromTheTicketPage() {
    open("/console/hosts");
    browser.findElement(By.cssSelector("input[data-select-all]")).click();
    clickAndLoad(By.id("scan-selected"));
    new Select(browser.findElement(By.id("baselineId"))).selectByValue(Long.toString(baselineId));
    // one host per batch, so a pause has batches left to hold
    browser.findElement(By.id("batchSize")).sendKeys("1");
    browser.findElement(By.id("concurrency")).clear();
    browser.findElement(By.id("concurrency")).sendKeys("1");
    clickAndLoad(By.id("start-ticket"));
    String ticketId = ticketIdFromUrl();
    clickAndLoad(By.id("pause"));

    waitUntil(Duration.ofSeconds(30), () -> !browser.findElements(By.id("resume")).isEmpty()
        && text(By.id("ticket-status")).equals("PAUSED"));
    JsonNode paused = platform.waitFor(ticketId, t -> t.get("ticket").get("status").asText().equals("PAUSED"),
        Duration.ofSeconds(30));
    screenshot("ticket-paused");
    open("/console");
    assertThat(browser.findElement(By.cssSelector("#running tr[data-ticket='" + ticketId + "']")).getText())
        .as("the dashboard lists it among the running tickets").contains("PAUSED").contains("/3");
    screenshot("dashboard-running");
    sleep(Duration.ofSeconds(4));
    JsonNode held = platform.api.get("/api/v1/tickets/" + ticketId).json();
    assertThat(held.get("ticket").get("status").asText()).as("a paused ticket waits").isEqualTo("PAUSED");
    int done = held.get("live").get("progress").get("succeeded").asInt();
    assertThat(done).as("no batch started after the pause: " + paused).isLessThan(3);

    open("/console/tickets/" + ticketId);
    clickAndLoad(By.id("resume"));
    markPage();
    waitUntil(Duration.ofMinutes(2), () -> text(By.id("ticket-status")).equals("COMPLETED"));
    assertThat(pageWasNotReloaded()).isTrue();
    assertThat(text(By.id("ticket-done"))).startsWith("3/3");
  }

  @Test
  @Order(10)
  void aViewerSeesNoTicketButtonsAndItsForgedPostIsRefused() {
    signOut();
    signIn(VIEWER);
    assertThat(text(By.id("signed-in-as"))).contains("watcher").contains("viewer");
    open("/console/hosts");
    assertThat(browser.findElements(By.id("scan-selected"))).isEmpty();
    assertThat(browser.findElements(By.id("repair-selected"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("input[name=hostIds]"))).isEmpty();
    open("/console/hosts/" + ids.get(rejectable.name()));
    assertThat(text(By.id("report-status"))).isEqualTo("Non-compliant");
    assertThat(browser.findElements(By.id("repair-host"))).isEmpty();
    open("/console/tickets");
    assertThat(browser.findElements(By.id("new-ticket"))).isEmpty();
    open("/console/baselines/" + baselineId);
    assertThat(text(By.id("baseline-name"))).isEqualTo("console-critical");
    assertThat(browser.findElements(By.id("edit-baseline"))).as("baselines are read-only to a viewer").isEmpty();

    // the viewer's own session and a valid CSRF token: the role alone refuses it
    int before = ticketCount();
    Object status = browser.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        const csrf = document.querySelector('input[name=_csrf]').value;
        fetch('/console/tickets', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},
              body: 'operation=REPAIR&confirmed=true&hostIds=' + arguments[0] + '&_csrf=' + encodeURIComponent(csrf)})
          .then(r => done(r.status), e => done(String(e)));
        """, ids.get(rejectable.name()));
    assertThat(status).isEqualTo(403L);
    assertThat(ticketCount()).isEqualTo(before);
  }

  @Test
  @Order(11)
  void theHostsPageFitsA390PixelScreen() {
    open("/console/hosts");
    browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
    try {
      open("/console/hosts");
      Number pageWidth = (Number) browser.executeScript("return document.documentElement.scrollWidth");
      assertThat(pageWidth.intValue()).as("the page does not scroll sideways; wide tables scroll in their box")
          .isLessThanOrEqualTo(390);
      screenshot("hosts-390", false);
    } finally {
      browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }

  @Test
  @Order(12)
  void signOutEndsTheSession() {
    open("/console");
    Cookie session = browser.manage().getCookieNamed("PATCHLOOP_SESSION");
    signOut();
    assertThat(browser.findElement(By.id("signed-out")).getText()).contains("signed out");
    // the old cookie back in the browser signs no one in: the session ended on the server
    browser.manage().deleteCookieNamed("PATCHLOOP_SESSION");
    browser.manage().addCookie(session);
    open("/console/hosts");
    assertThat(browser.getCurrentUrl()).as("the sign-in page, which says the session has ended").endsWith("/console/sign-in?ended");
    assertThat(browser.findElement(By.id("session-ended")).getText()).contains("Your session has ended");
  }

  String compliance(LabFleet.Host h) {
    return text(By.cssSelector("tr[data-host='" + h.name() + "'] .compliance"));
  }

  /** The id of the ticket page the browser lands on after a form was sent (the click returns before the new page). */
  String ticketIdFromUrl() {
    waitUntil(Duration.ofSeconds(30), () -> browser.getCurrentUrl().matches(".*/console/tickets/[a-z][^/?]*")
        && !browser.getCurrentUrl().endsWith("/new") && !browser.findElements(By.id("ticket-status")).isEmpty());
    String url = browser.getCurrentUrl();
    return url.substring(url.lastIndexOf('/') + 1);
  }

  int ticketCount() {
    return platform.api.get("/api/v1/tickets").json().get("total").asInt();
  }
}
