package io.patchloop.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.notifications.WebhookSender;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.http.RecordingHttpServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's inspection plan and notification pages in headless Chromium against the standalone
 * platform: create a plan (a bad schedule first, which the form explains), run it now and watch its
 * run and ticket appear on the plan's page; create a webhook channel to a loopback receiver, press
 * its test button, subscribe it. The plan's hosts are registered on closed ports, so no lab fleet is
 * needed: their scan tickets start (which is what is tested here) and fail as UNREACHABLE.
 *
 * <p>With {@code -Dpatchloop.screenshots=true}: docs/console/plans.png, plan.png, notifications.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsolePlansBrowserTest extends ConsoleBrowserSupport {

  static final String ADMIN = "console-admin-token-0123456789abcdef";
  static final String SECRET = "console-webhook-secret-0123";

  TestPlatform platform;
  RecordingHttpServer receiver;

  @BeforeAll
  void start() throws IOException {
    platform = TestPlatform.startWithTokens(List.of(new TestPlatform.Token("admin", ADMIN, "ADMIN")));
    for (int i = 1; i <= 2; i++) {
      var created = platform.api.post("/api/v1/hosts", ApiClient.json(Map.of("name", "edge-" + i,
          "address", "127.0.0.1", "port", TestPlatform.freePort(), "keyPath", "/nonexistent/id_ed25519",
          "osFamily", "HCE", "tags", Map.of("zone", "az" + i))));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }
    // a second plan, paused, so the list shows both states
    var weekly = platform.api.post("/api/v1/inspection-plans", ApiClient.json(Map.of("name", "weekly-az2",
        "cron", "30 3 * * 6", "timeZone", "Europe/Berlin", "selector", Map.of("tags", Map.of("zone", "az2")),
        "paused", true)));
    assertThat(weekly.status()).as(weekly.toString()).isEqualTo(201);
    receiver = new RecordingHttpServer();
    startBrowser("http://127.0.0.1:" + platform.running.apiPort());
  }

  @AfterAll
  void stop() {
    quitBrowser();
    if (platform != null) {
      platform.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  /**
   * The whole page: the window is made as tall as the page plus whatever the window takes from the
   * viewport, so the bottom of a long page (the failed deliveries) is in the picture too.
   */
  @Override
  void screenshot(String name) {
    if (!SCREENSHOTS) {
      return;
    }
    Dimension before = browser.manage().window().getSize();
    int height = Math.min(Math.max(((Number) browser.executeScript("return document.documentElement.scrollHeight"))
        .intValue(), 600), 2400);
    browser.manage().window().setSize(new Dimension(1280, height));
    int viewport = ((Number) browser.executeScript("return window.innerHeight")).intValue();
    browser.manage().window().setSize(new Dimension(1280, height + Math.max(0, height - viewport)));
    super.screenshot(name, false);
    browser.manage().window().setSize(before);
  }

  @Test
  @Order(1)
  void createAPlanRunItNowAndFollowItsTicket() {
    open("/console/sign-in");
    signIn(ADMIN);
    open("/console/plans");
    clickAndLoad(By.id("new-plan"));
    browser.findElement(By.id("name")).sendKeys("nightly-edge");
    WebElement cron = browser.findElement(By.id("cron"));
    cron.clear();
    cron.sendKeys("0 25 * * *");
    WebElement zone = browser.findElement(By.id("timeZone"));
    zone.clear();
    zone.sendKeys("Asia/Shanghai");
    browser.findElement(By.id("allHosts1")).click();
    new Select(browser.findElement(By.id("batchStrategy"))).selectByValue("FIXED");
    browser.findElement(By.id("batchSize")).sendKeys("1");
    clickAndLoad(By.id("save-plan"));

    // the form again: the schedule's reason under it, everything typed still there
    assertThat(text(By.id("cron-error"))).contains("hour 25 is outside 0-23");
    assertThat(browser.findElement(By.id("cron")).getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.findElement(By.id("name")).getAttribute("value")).isEqualTo("nightly-edge");
    assertThat(browser.findElement(By.id("allHosts1")).isSelected()).isTrue();
    cron = browser.findElement(By.id("cron"));
    cron.clear();
    cron.sendKeys("0 2 * * *");
    clickAndLoad(By.id("save-plan"));

    assertThat(text(By.id("notice"))).contains("Plan nightly-edge created");
    assertThat(text(By.id("plan-state"))).isEqualTo("Active");
    assertThat(text(By.id("plan-hosts"))).isEqualTo("every host");
    WebElement next = browser.findElement(By.cssSelector("#plan-next time"));
    assertThat(next.getAttribute("datetime")).as("02:00 in Shanghai is 18:00 UTC").contains("T18:00:00Z");

    clickAndLoad(By.id("trigger"));
    assertThat(text(By.id("notice"))).contains("Trigger sent");
    markPage();
    waitUntil(Duration.ofSeconds(60), () -> !browser.findElements(By.cssSelector("#plan-runs a.run-ticket")).isEmpty());
    assertThat(pageWasNotReloaded()).as("the run came by htmx, not by a reload").isTrue();
    WebElement run = browser.findElement(By.cssSelector("#plan-runs tr[data-outcome='STARTED']"));
    String ticketId = run.findElement(By.cssSelector("a.run-ticket")).getText();
    assertThat(ticketId).as("a plan's ticket id names its plan").startsWith("plan");
    screenshot("plan");

    clickAndLoad(By.cssSelector("#plan-runs a.run-ticket"));
    assertThat(browser.getCurrentUrl()).endsWith("/console/tickets/" + ticketId);
    assertThat(browser.findElements(By.cssSelector("#ticket-hosts tr[data-host]"))).hasSize(2);

    open("/console/plans");
    WebElement nightly = browser.findElement(By.cssSelector("tr[data-plan='nightly-edge']"));
    assertThat(nightly.getText()).contains("Active").contains("every host").contains(ticketId);
    assertThat(browser.findElement(By.cssSelector("tr[data-plan='weekly-az2']")).getText()).contains("Paused")
        .contains("hosts tagged zone:az2").contains("never");
    screenshot("plans");
  }

  @Test
  @Order(2)
  void createAWebhookChannelAndPressItsTestButton() {
    open("/console/notifications");
    new Select(browser.findElement(By.id("new-channel-type"))).selectByValue("WEBHOOK");
    clickAndLoad(By.id("new-channel"));
    browser.findElement(By.id("name")).sendKeys("itsm-webhook");
    browser.findElement(By.id("webhookUrl")).sendKeys(receiver.url("/hook"));
    browser.findElement(By.id("webhookSecret")).sendKeys(SECRET);
    clickAndLoad(By.id("save-channel"));
    assertThat(text(By.id("notice"))).contains("Channel itsm-webhook created");

    clickAndLoad(By.cssSelector("tr[data-channel='itsm-webhook'] button.test-channel"));
    assertThat(text(By.id("test-result"))).contains("itsm-webhook took it");
    RecordingHttpServer.Request got = receiver.to("/hook").get(0);
    assertThat(got.header(WebhookSender.SIGNATURE_HEADER)).isEqualTo(WebhookSender.signature(SECRET, got.body()));

    new Select(browser.findElement(By.id("sub-event"))).selectByValue("TICKET_FINISHED");
    clickAndLoad(By.id("subscribe"));
    assertThat(text(By.id("notice"))).contains("TICKET_FINISHED now goes to itsm-webhook");
    assertThat(browser.findElement(By.cssSelector("tr[data-channel='itsm-webhook']")).getText()).contains("TICKET_FINISHED");
    assertThat(browser.getPageSource()).doesNotContain(SECRET);
    clickAndLoad(By.cssSelector("tr[data-channel='itsm-webhook'] button.test-channel"));
    screenshot("notifications");
  }
}
