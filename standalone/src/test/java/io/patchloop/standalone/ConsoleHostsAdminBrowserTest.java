package io.patchloop.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Hosts administration in a real browser against the standalone platform (no lab hosts: nothing is
 * scanned): store a credential, add a host with it after a refused try, import hosts from a CSV file
 * chosen in the file picker (a bad file first, all or nothing), then delete a host after its
 * confirm step. With {@code -Dpatchloop.screenshots=true} it keeps credentials, host-new and
 * hosts-import in docs/console/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleHostsAdminBrowserTest extends ConsoleBrowserSupport {

  static final String ADMIN = "hosts-admin-token-0123456789abcdef";
  static final String KEY_BODY = "c2VjcmV0LWtleS1tYXRlcmlhbC1uZXZlci1zaG93bi0wMTIzNDU2Nzg5";

  TestPlatform platform;
  Path files;

  @BeforeAll
  void start() throws IOException {
    platform = TestPlatform.startWithTokens(List.of(new TestPlatform.Token("admin", ADMIN, "ADMIN")));
    files = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "console-files-");
    startBrowser("http://127.0.0.1:" + platform.running.apiPort());
    open("/console/sign-in");
    signIn(ADMIN);
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
  void storeACredential() {
    open("/console/credentials");
    clickAndLoad(By.id("add-credential"));
    browser.findElement(By.id("name")).sendKeys("fleet-key");
    browser.findElement(By.id("description")).sendKeys("the fleet's SSH key");
    browser.findElement(By.id("privateKey")).sendKeys("-----BEGIN OPENSSH PRIVATE KEY-----\n" + KEY_BODY
        + "\n-----END OPENSSH PRIVATE KEY-----\n");
    clickAndLoad(By.id("save-credential"));
    assertThat(text(By.id("notice"))).startsWith("Credential fleet-key stored (OPENSSH)");
    assertThat(text(By.cssSelector("tr[data-credential='fleet-key'] .used-by"))).isEqualTo("0");
    assertThat(browser.getPageSource()).doesNotContain(KEY_BODY);
    screenshot("credentials");
  }

  @Test
  @Order(2)
  void addAHostWithTheCredentialAfterARefusedTry() {
    open("/console/hosts");
    clickAndLoad(By.id("add-host"));
    browser.findElement(By.id("name")).sendKeys("web-1");
    browser.findElement(By.id("address")).sendKeys("10.0.0.11");
    WebElement port = browser.findElement(By.id("port"));
    port.clear();
    port.sendKeys("70000");
    new Select(browser.findElement(By.id("osFamily"))).selectByValue("HCE");
    browser.findElement(By.id("tags")).sendKeys("zone=az1, app=shop");
    new Select(browser.findElement(By.id("credentialName"))).selectByValue("fleet-key");
    clickAndLoad(By.id("save-host"));

    assertThat(text(By.id("port-problem"))).isEqualTo("must be between 1 and 65535");
    assertThat(browser.findElement(By.id("port")).getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.findElement(By.id("name")).getAttribute("value")).as("what was typed stays").isEqualTo("web-1");
    assertThat(platform.api.get("/api/v1/hosts").json().get("total").asInt()).isZero();
    screenshot("host-new");

    port = browser.findElement(By.id("port"));
    port.clear();
    port.sendKeys("22");
    clickAndLoad(By.id("save-host"));
    assertThat(text(By.id("notice"))).isEqualTo("Host web-1 added.");
    assertThat(browser.getCurrentUrl()).matches(".*/console/hosts/\\d+$");
    var host = platform.api.get("/api/v1/hosts").json().get("items").get(0);
    assertThat(host.get("credentialName").asText()).isEqualTo("fleet-key");
    assertThat(host.get("tags").get("app").asText()).isEqualTo("shop");
  }

  @Test
  @Order(3)
  void importHostsFromACsvFile() throws IOException {
    Path bad = files.resolve("bad.csv");
    Files.writeString(bad, "name,address,port,credentialName,osFamily,tags\n"
        + "web-2,10.0.0.12,22,fleet-key,CENTOS,zone=az1\n"
        + "web-1,10.0.0.13,22,fleet-key,CENTOS,zone=az2\n"
        + "web-4,10.0.0.14,22,no-such-key,EULEROS,zone=az2\n");
    open("/console/hosts");
    clickAndLoad(By.id("import-hosts"));
    browser.findElement(By.id("file")).sendKeys(bad.toString());
    clickAndLoad(By.id("import-submit"));
    assertThat(browser.findElements(By.cssSelector("#import-problems li"))).extracting(WebElement::getText)
        .containsExactlyInAnyOrder("line 3.name: a host named 'web-1' already exists",
            "line 4.credentialName: no stored credential is named 'no-such-key'");
    assertThat(platform.api.get("/api/v1/hosts").json().get("total").asInt()).as("all or nothing").isEqualTo(1);
    screenshot("hosts-import");

    Path good = files.resolve("good.csv");
    Files.writeString(good, "name,address,port,credentialName,osFamily,tags\n"
        + "web-2,10.0.0.12,22,fleet-key,CENTOS,zone=az1\n"
        + "web-3,10.0.0.13,22,fleet-key,EULEROS,zone=az2\n");
    browser.findElement(By.id("file")).sendKeys(good.toString());
    clickAndLoad(By.id("import-submit"));
    assertThat(text(By.id("notice"))).isEqualTo("Imported 2 host(s): web-2, web-3.");
    assertThat(browser.findElements(By.cssSelector("tr[data-host]"))).extracting(e -> e.getAttribute("data-host"))
        .containsExactly("web-1", "web-2", "web-3");
  }

  @Test
  @Order(4)
  void deleteAHostAfterItsConfirmStep() {
    open("/console/hosts");
    clickAndLoad(By.linkText("web-3"));
    clickAndLoad(By.id("delete-host"));
    assertThat(text(By.tagName("h1"))).isEqualTo("Delete host web-3?");
    clickAndLoad(By.id("confirm-delete"));
    assertThat(text(By.id("notice"))).isEqualTo("Host web-3 deleted.");
    assertThat(browser.findElements(By.cssSelector("tr[data-host]"))).extracting(e -> e.getAttribute("data-host"))
        .containsExactly("web-1", "web-2");
    open("/console/credentials");
    assertThat(text(By.cssSelector("tr[data-credential='fleet-key'] .used-by"))).isEqualTo("2");
  }
}
