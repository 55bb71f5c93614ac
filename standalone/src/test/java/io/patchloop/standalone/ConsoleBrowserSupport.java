package io.patchloop.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What every console browser test does: start Debian's headless Chromium through chromedriver,
 * sign in and out, follow links and forms to the next loaded page, wait for live parts, and keep
 * screenshots. A test class starts its own platform and calls {@link #startBrowser} with its URL.
 *
 * <p>With {@code -Dpatchloop.screenshots=true} {@link #screenshot} saves the page as a PNG into
 * docs/console/ (the README shows them); without it nothing in the checkout changes.
 */
abstract class ConsoleBrowserSupport {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final boolean SCREENSHOTS = Boolean.getBoolean("patchloop.screenshots");

  ChromeDriver browser;
  String base;

  void startBrowser(String baseUrl) {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as("the browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver")
        .isTrue();
    base = baseUrl;
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
        "--lang=en-GB", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run");
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
        options);
    // not the machine's UTC: the pages must show times in the browser's own zone
    browser.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Asia/Shanghai"));
  }

  void quitBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  void open(String path) {
    browser.get(base + path);
  }

  void signIn(String token) {
    if (!browser.getCurrentUrl().contains("/console/sign-in")) {
      open("/console/sign-in");
    }
    browser.findElement(By.id("token")).sendKeys(token);
    clickAndLoad(By.id("sign-in"));
    waitUntil(Duration.ofSeconds(15), () -> !browser.findElements(By.id("signed-in-as")).isEmpty()
        || !browser.findElements(By.id("sign-in-error")).isEmpty());
  }

  void signOut() {
    clickAndLoad(By.id("sign-out"));
    waitUntil(Duration.ofSeconds(15), () -> !browser.findElements(By.id("signed-out")).isEmpty());
  }

  String text(By by) {
    return browser.findElement(by).getText().strip();
  }

  /** Clicks what leaves the page (a link, a form's button) and waits for the next page to have loaded. */
  void clickAndLoad(By by) {
    browser.executeScript("window.consoleTestLeaving = true");
    browser.findElement(by).click();
    waitUntil(Duration.ofSeconds(30), () -> Boolean.FALSE.equals(browser.executeScript("return window.consoleTestLeaving === true"))
        && "complete".equals(browser.executeScript("return document.readyState")));
  }

  /** Marks the loaded page: a reload (or a new page) loses the mark, an htmx swap keeps it. */
  void markPage() {
    browser.executeScript("window.consoleTestMark = true");
  }

  boolean pageWasNotReloaded() {
    return Boolean.TRUE.equals(browser.executeScript("return window.consoleTestMark === true"));
  }

  void waitUntil(Duration timeout, java.util.function.BooleanSupplier condition) {
    new WebDriverWait(browser, timeout, Duration.ofMillis(200))
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .withMessage(() -> "on " + browser.getCurrentUrl() + ": " + browser.findElement(By.tagName("body")).getText())
        .until(d -> condition.getAsBoolean());
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  void screenshot(String name) {
    screenshot(name, true);
  }

  /** With -Dpatchloop.screenshots=true: the whole page, 1280 px wide (or as the page is now), into docs/console/. */
  void screenshot(String name, boolean at1280) {
    if (!SCREENSHOTS) {
      return;
    }
    try {
      Dimension before = browser.manage().window().getSize();
      if (at1280) {
        Number height = (Number) browser.executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(1280, Math.min(Math.max(height.intValue(), 600), 2400)));
      }
      File shot = browser.getScreenshotAs(OutputType.FILE);
      Path dir = Path.of("").toAbsolutePath().getParent().resolve("docs/console");
      Files.createDirectories(dir);
      Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
      browser.manage().window().setSize(before);
    } catch (IOException e) {
      throw new AssertionError("cannot keep the screenshot " + name + ": " + e.getMessage(), e);
    }
  }
}
