package jp.tcportal.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import jp.tcportal.testsupport.HeadlessChrome;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The incidents dashboard in Debian's chromium, driven as an operator would use it. */
final class Dashboard implements AutoCloseable {

  private final ChromeDriver browser;

  private Dashboard(ChromeDriver browser) {
    this.browser = browser;
  }

  /** Logs in with a local account and opens {@code /incidents}. */
  static Dashboard open(String baseUrl, String user, String password) throws IOException {
    ChromeDriver browser = HeadlessChrome.start();
    browser.get(baseUrl + "/incidents");
    browser.findElement(By.id("username")).sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(password);
    browser.findElement(By.id("login-submit")).click();
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(driver -> driver.getCurrentUrl().contains("/incidents"));
    return new Dashboard(browser);
  }

  Row row(UUID monitorId) {
    WebElement row =
        new WebDriverWait(browser, Duration.ofSeconds(20))
            .until(
                driver ->
                    driver
                        .findElements(By.cssSelector("tr[data-monitor-id='" + monitorId + "']"))
                        .stream()
                        .findFirst()
                        .orElse(null));
    return new Row(
        row.getDomAttribute("data-task-key"),
        row.findElement(By.cssSelector("td:nth-child(2)")).getText(),
        row.getDomAttribute("data-status"),
        row.getText());
  }

  /** The badge's text, or an empty string when it is hidden (no failing task). */
  String badge() {
    WebElement badge = browser.findElement(By.id("incident-badge"));
    return badge.isDisplayed() ? badge.getText().trim() : "";
  }

  void screenshot(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    browser.quit();
  }

  record Row(String taskKey, String taskName, String status, String text) {}
}
