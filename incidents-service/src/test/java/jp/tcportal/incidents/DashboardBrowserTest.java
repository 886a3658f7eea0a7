package jp.tcportal.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import jp.tcportal.testsupport.HeadlessChrome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard in a real browser (Debian's chromium through /usr/bin/chromedriver): what the
 * operations team sees, including the badge changing without a reload, over plain HTTP from an
 * address other than localhost (as a team evaluating it on a server would). Screenshots go to
 * {@code target/screenshots/}.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tcportal.incidents.admin-password=" + DashboardBrowserTest.ADMIN_PASSWORD,
      "tcportal.incidents.live.poll-interval=200ms",
      "server.address=" + DashboardBrowserTest.ADDRESS
    })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

  static final String ADMIN_PASSWORD = "browser-admin-password";

  /**
   * The service listens on a second loopback address, and the browser reaches it by a host name
   * that is not localhost, as it would reach a server on the network. Chromium treats
   * http://localhost and 127.0.0.0/8 literals as secure and keeps Secure cookies there; by any
   * other name it drops them, so a Secure session cookie over plain HTTP loops login back to the
   * form.
   */
  static final String ADDRESS = "127.0.0.2";

  static final String HOST = "tcportal-eval.test";

  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabases.register(registry, "browser");
  }

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;

  ChromeDriver browser;
  MonitorRows rows;
  UUID nightlyOnPc01;
  UUID dailySyncOnPc02;

  @BeforeAll
  void startBrowserAndSeed() throws IOException {
    Files.createDirectories(SCREENSHOTS);
    HeadlessChrome.assumeInstalled();
    browser = HeadlessChrome.start("--host-resolver-rules=MAP " + HOST + " " + ADDRESS);
    seed();
  }

  @AfterAll
  void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  @Order(1)
  void loggedInViewerSeesTheFailedTaskFirstWithItsJapaneseNameBadgeAndRelativeTime()
      throws IOException {
    browser.get(url("/incidents"));
    assertThat(browser.getCurrentUrl()).contains("/login");
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("TC Portal 監視");
    screenshot("01-login");

    browser.findElement(By.id("username")).sendKeys("admin");
    browser.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD);
    browser.findElement(By.id("login-submit")).click();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> browser.getCurrentUrl().contains("/incidents"));
    assertThat(browser.getCurrentUrl()).startsWith("http://" + HOST + ":");
    assertThat(browser.manage().getCookieNamed("TCPORTAL_SESSION").isSecure()).isFalse();
    awaitLive();

    List<WebElement> tableRows =
        browser.findElements(By.cssSelector("#incident-rows tr.incident-row"));
    WebElement first = tableRows.get(0);
    assertThat(first.getAttribute("data-status")).isEqualTo("failed");
    assertThat(first.getText()).contains("ナイトリー取込", "PC-01", "失敗");
    assertThat(first.findElement(By.tagName("time")).getText()).isEqualTo("5分前");
    assertThat(first.findElement(By.tagName("time")).getAttribute("title"))
        .matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} \\(Asia/Tokyo\\)");
    assertThat(tableRows.get(1).getAttribute("data-status")).isEqualTo("failed");
    assertThat(badge().isDisplayed()).isTrue();
    assertThat(badge().getText()).isEqualTo("2");
    screenshot("02-incidents");
  }

  @Test
  @Order(2)
  void badgeDropsWithoutAReloadWhenAFailedTaskSucceeds() throws IOException {
    browser.get(url("/incidents"));
    awaitLive();
    markPageToDetectReloads();

    // The processor stores a newer, successful report for daily_sync on PC-02.
    rows.report(dailySyncOnPc02, "success", Instant.now(), "処理完了: 1,200件");

    await().atMost(Duration.ofSeconds(15)).until(() -> "1".equals(badge().getText()));
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(
            () ->
                "success"
                    .equals(
                        browser
                            .findElement(
                                By.cssSelector("tr[data-monitor-id='" + dailySyncOnPc02 + "']"))
                            .getAttribute("data-status")));
    assertThat(pageWasNotReloaded()).isTrue();
    screenshot("03-after-success");
  }

  @Test
  @Order(3)
  void badgeDisappearsWhenAnAdminDisablesTheLastFailingTask() throws IOException {
    browser.get(url("/monitors/" + nightlyOnPc01));
    assertThat(browser.findElement(By.id("monitor-name")).getText()).isEqualTo("ナイトリー取込");
    assertThat(browser.findElements(By.cssSelector("#runs-table tr.run-row"))).isNotEmpty();
    screenshot("04-monitor");
    WebElement settings = browser.findElement(By.id("settings"));
    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView();", settings);
    assertThat(browser.findElement(By.id("save-settings")).isDisplayed()).isTrue();
    screenshot("04-monitor-settings");

    browser.findElement(By.id("toggle-enabled")).click();

    await().atMost(Duration.ofSeconds(15)).until(() -> !badge().isDisplayed());
    assertThat(browser.findElement(By.id("notice")).getText()).contains("無効");
    assertThat(rows.enabled(nightlyOnPc01)).isFalse();
    screenshot("05-disabled");
  }

  @Test
  @Order(4)
  void badgeReturnsWithoutAReloadWhenAnotherTaskFails() throws IOException {
    browser.get(url("/incidents"));
    awaitLive();
    markPageToDetectReloads();
    assertThat(badge().isDisplayed()).isFalse();

    rows.report(dailySyncOnPc02, "failed", Instant.now(), "接続エラー: DB に接続できません");

    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(() -> badge().isDisplayed() && "1".equals(badge().getText()));
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(
            () ->
                browser
                    .findElements(By.cssSelector("#incident-rows tr.incident-row"))
                    .get(0)
                    .getAttribute("data-monitor-id")
                    .equals(dailySyncOnPc02.toString()));
    assertThat(pageWasNotReloaded()).isTrue();
  }

  @Test
  @Order(5)
  void englishIsSelectableFromTheSidebar() throws IOException {
    browser.get(url("/incidents"));
    browser.findElement(By.id("lang-en")).click();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> browser.findElement(By.tagName("h1")).getText().equals("Incidents"));
    assertThat(browser.findElement(By.id("incident-rows")).getText())
        .contains("Failed", "minutes ago", "hours ago");
    screenshot("06-english");
    browser.findElement(By.id("lang-ja")).click();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> browser.findElement(By.tagName("h1")).getText().equals("障害"));
  }

  @Test
  @Order(6)
  void phoneShowsEachTaskAsACard() throws IOException {
    browser.manage().window().setSize(new Dimension(390, 844));
    try {
      browser.get(url("/incidents"));
      WebElement firstRow = browser.findElement(By.cssSelector("#incident-rows tr.incident-row"));
      assertThat(firstRow.getCssValue("display")).isEqualTo("block");
      Number pageWidth =
          (Number)
              ((JavascriptExecutor) browser)
                  .executeScript("return document.documentElement.scrollWidth");
      assertThat(pageWidth.intValue()).isLessThanOrEqualTo(390);
      screenshot("07-phone");
    } finally {
      browser.manage().window().setSize(new Dimension(1440, 900));
    }
  }

  private void seed() {
    jdbc.update("DELETE FROM task_monitors");
    rows = new MonitorRows(jdbc);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    nightlyOnPc01 =
        rows.monitor(
            "nightly_import",
            "ナイトリー取込",
            "bat",
            "PC-01",
            "failed",
            now.minusSeconds(5 * 60 + 10),
            2,
            "取込に失敗しました: C:\\Data\\import\\2026-11-29.csv を開けません。"
                + " ファイルが別のプロセスで使用されています。再試行 3 回後に中止しました。");
    for (int i = 1; i <= 12; i++) {
      rows.run(
          nightlyOnPc01,
          i % 4 == 0 ? "failed" : "success",
          now.minusSeconds(86_400L * i),
          i % 4 == 0 ? "取込に失敗しました" : "処理完了: " + (1000 + i) + "件");
    }
    rows.run(nightlyOnPc01, "failed", now.minusSeconds(5 * 60 + 10), "取込に失敗しました: ファイルが使用中です");
    dailySyncOnPc02 =
        rows.monitor(
            "daily_sync",
            "日次同期",
            "python",
            "PC-02",
            "failed",
            now.minusSeconds(47 * 60),
            1,
            "ConnectionError: 接続がタイムアウトしました (tcportal-db:5432)");
    rows.monitor(
        "nightly_import",
        "ナイトリー取込",
        "bat",
        "PC-02",
        "success",
        now.minusSeconds(6 * 60),
        0,
        "処理完了: 1,024件");
    rows.monitor(
        "backup_db",
        "DBバックアップ",
        "bat",
        "SRV-BACKUP",
        "success",
        now.minusSeconds(2 * 3600),
        0,
        "バックアップ完了 (12.4 GB)");
    rows.monitor(
        "report_mail",
        "日報メール送信",
        "python",
        "PC-03",
        "success",
        now.minusSeconds(3 * 3600 + 100),
        0,
        "送信 42 件");
    rows.monitor(
        "cleanup_temp",
        "一時ファイル削除",
        "bat",
        "PC-01",
        "success",
        now.minusSeconds(2 * 86_400),
        0,
        "削除 318 件");
    rows.unreported("weekly_summary", "週次集計", "python", "PC-03");
  }

  private WebElement badge() {
    return browser.findElement(By.id("incident-badge"));
  }

  /** Waits until the page's event stream delivered its first marker. */
  private void awaitLive() {
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(() -> browser.findElement(By.id("live-indicator")).isDisplayed());
  }

  private void markPageToDetectReloads() {
    ((JavascriptExecutor) browser).executeScript("window.__sameDocument = true;");
  }

  private boolean pageWasNotReloaded() {
    return Boolean.TRUE.equals(
        ((JavascriptExecutor) browser).executeScript("return window.__sameDocument === true;"));
  }

  private String url(String path) {
    return "http://" + HOST + ":" + port + path;
  }

  private void screenshot(String name) throws IOException {
    Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
