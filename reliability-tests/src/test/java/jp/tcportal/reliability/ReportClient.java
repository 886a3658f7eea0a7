package jp.tcportal.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends reports the way {@code monitoring/windows/tcportal-monitor.ps1} does with its defaults: up
 * to 4 attempts of at most 10 s each inside a 60 s cap, network errors, timeouts, 408, 429 and 5xx
 * retried after an exponential back-off with jitter (at least the answer's {@code Retry-After}),
 * every attempt with the same {@code Idempotency-Key} and body; a report that could not be
 * delivered is spooled for the client's next run. Everything is written to the {@link Ledger}.
 */
final class ReportClient implements AutoCloseable {

  static final int MAX_ATTEMPTS = 4;
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration TOTAL_CAP = Duration.ofSeconds(60);

  private final URI reportUri;
  private final Ledger ledger;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ScheduledExecutorService retries = Executors.newScheduledThreadPool(1);
  private final AtomicInteger inFlight = new AtomicInteger();

  ReportClient(URI reportUri, Ledger ledger) {
    this.reportUri = reportUri;
    this.ledger = ledger;
  }

  /** One delivery run of one report; completes when it was acknowledged, refused or spooled. */
  CompletableFuture<Void> deliver(Ledger.Report report) {
    inFlight.incrementAndGet();
    CompletableFuture<Void> done = new CompletableFuture<>();
    attempt(report, 1, System.nanoTime() + TOTAL_CAP.toNanos(), done);
    return done.whenComplete((ignored, error) -> inFlight.decrementAndGet());
  }

  /** Reports whose delivery run has not finished yet. */
  int inFlight() {
    return inFlight.get();
  }

  private void attempt(
      Ledger.Report report, int attempt, long deadline, CompletableFuture<Void> done) {
    long remaining = deadline - System.nanoTime();
    Duration timeout =
        ATTEMPT_TIMEOUT.compareTo(Duration.ofNanos(remaining)) < 0
            ? ATTEMPT_TIMEOUT
            : Duration.ofNanos(Math.max(remaining, 1_000_000));
    HttpRequest request =
        HttpRequest.newBuilder(reportUri)
            .timeout(timeout)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("X-TC-Portal-Secret", Topology.SECRET)
            .header("Idempotency-Key", report.key().toString())
            .POST(HttpRequest.BodyPublishers.ofString(report.body(), StandardCharsets.UTF_8))
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              if (response != null && response.statusCode() == 200) {
                ledger.acknowledged(report.key());
                done.complete(null);
                return;
              }
              if (response != null && !retryable(response.statusCode())) {
                ledger.refused(report.key(), response.statusCode() + " " + response.body());
                done.complete(null);
                return;
              }
              ledger.attemptFailed(report.key());
              long delayMillis = backOffMillis(attempt, response);
              if (attempt >= MAX_ATTEMPTS
                  || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis) >= deadline) {
                ledger.spooled(report.key());
                done.complete(null);
                return;
              }
              retries.schedule(
                  () -> attempt(report, attempt + 1, deadline, done),
                  delayMillis,
                  TimeUnit.MILLISECONDS);
            });
  }

  private static boolean retryable(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  /**
   * As the PowerShell client: min(8 s, 2^(n-1) s) times a jitter of 0.5-1, at least Retry-After.
   */
  private static long backOffMillis(int attempt, HttpResponse<String> response) {
    double jitter = 0.5 + ThreadLocalRandom.current().nextDouble(0.5);
    long delay = (long) (Math.min(8000, 1000 * Math.pow(2, attempt - 1)) * jitter);
    Optional<Long> retryAfter =
        response == null
            ? Optional.empty()
            : response.headers().firstValue("Retry-After").flatMap(ReportClient::seconds);
    return retryAfter.map(seconds -> Math.max(delay, seconds * 1000)).orElse(delay);
  }

  private static Optional<Long> seconds(String value) {
    try {
      return Optional.of(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    retries.shutdownNow();
  }
}
