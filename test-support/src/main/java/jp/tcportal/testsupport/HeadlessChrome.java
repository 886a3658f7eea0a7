package jp.tcportal.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless chromium through /usr/bin/chromedriver, as every browser test uses it: a
 * Japanese browser in Tokyo time, 1440×900, a fresh profile under {@code target}. Callers add their
 * own switches, e.g. {@code --host-resolver-rules=...} or {@code
 * --ignore-certificate-errors-spki-list=...} (see {@link TestCertificates#serverSpkiSha256()}).
 */
public final class HeadlessChrome {

  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private HeadlessChrome() {}

  /** Skips the test when chromedriver is missing, unless on CI, where it must be there. */
  public static void assumeInstalled() {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMEDRIVER) || "true".equalsIgnoreCase(System.getenv("CI")),
        "chromedriver is not installed (apt-get install chromium chromium-driver)");
  }

  /** Starts the browser with the common switches and then {@code extraArguments}. */
  public static ChromeDriver start(String... extraArguments) throws IOException {
    // Selenium Manager must not go looking for drivers on the network.
    System.setProperty("SE_OFFLINE", "true");
    Path profile = Files.createTempDirectory(Path.of("target"), "chrome-profile-");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            // The browser inherits this: the team works in Japan.
            .withEnvironment(Map.of("TZ", "Asia/Tokyo"))
            .build();
    ChromeOptions options = new ChromeOptions();
    if (Files.isExecutable(CHROMIUM)) {
      options.setBinary(CHROMIUM.toString());
    }
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--lang=ja-JP",
                "--window-size=1440,900",
                "--user-data-dir=" + profile.toAbsolutePath()));
    arguments.addAll(List.of(extraArguments));
    options.addArguments(arguments);
    ChromeDriver browser = new ChromeDriver(service, options);
    browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(0));
    return browser;
  }
}
