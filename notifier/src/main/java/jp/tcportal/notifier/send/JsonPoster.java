package jp.tcportal.notifier.send;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import jp.tcportal.notifier.NotifierSettings;
import jp.tcportal.notifier.channel.ChannelType;
import jp.tcportal.notifier.channel.InvalidChannelException;
import jp.tcportal.notifier.channel.TargetRules;
import org.springframework.stereotype.Component;

/**
 * Posts a JSON body to a channel's URL with the send timeout, after checking where the host
 * resolves, and reads the answer. Transport failures become {@link SendOutcome#retry}; what an HTTP
 * status means is left to each channel type.
 */
@Component
public class JsonPoster {

  /** What a target answered: status, the start of its body, and its {@code Retry-After}. */
  public record Answer(int status, String body, Duration retryAfter) {

    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** 408, 429 and 5xx: the target may take it later. */
    public boolean transient_() {
      return status == 408 || status == 429 || status >= 500;
    }

    public String describe() {
      String shown = body == null ? "" : body.strip();
      return "HTTP " + status + (shown.isEmpty() ? "" : ": " + shown);
    }
  }

  /** Either an answer or an outcome decided before one came (network error, refused target). */
  public record Result(Answer answer, SendOutcome failure) {}

  private static final int BODY_KEPT = 300;

  private final HttpClient http;
  private final TargetRules rules;
  private final NotifierSettings settings;
  private final Clock clock;

  public JsonPoster(HttpClient notifierHttpClient, TargetRules rules, NotifierSettings settings) {
    this.http = notifierHttpClient;
    this.rules = rules;
    this.settings = settings;
    this.clock = Clock.systemUTC();
  }

  public Result post(String url, String json, Map<String, String> headers) {
    URI uri;
    try {
      uri = rules.checkUrl(ChannelType.WEBHOOK, url);
      rules.checkResolved(
          uri.getHost(), Arrays.asList(InetAddress.getAllByName(bareHost(uri.getHost()))));
    } catch (InvalidChannelException e) {
      return new Result(null, SendOutcome.disable(e.getMessage()));
    } catch (UnknownHostException e) {
      return new Result(null, SendOutcome.retry("host not found: " + uri(url), null));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(settings.sendTimeout())
            .header("Content-Type", "application/json; charset=utf-8")
            .header("User-Agent", "tcportal-notifier/1")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String body = response.body() == null ? "" : response.body();
      return new Result(
          new Answer(
              response.statusCode(),
              body.length() > BODY_KEPT ? body.substring(0, BODY_KEPT) : body,
              retryAfter(response.headers().firstValue("Retry-After"))),
          null);
    } catch (HttpTimeoutException e) {
      return new Result(
          null,
          SendOutcome.retry("no answer within " + settings.sendTimeout().toSeconds() + " s", null));
    } catch (IOException e) {
      return new Result(null, SendOutcome.retry("network error: " + e, null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(null, SendOutcome.retry("interrupted while sending", null));
    }
  }

  /** {@code Retry-After} as delta-seconds or an HTTP date; null when absent or unreadable. */
  Duration retryAfter(Optional<String> header) {
    if (header.isEmpty()) {
      return null;
    }
    String value = header.get().strip();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration until = Duration.between(clock.instant(), at);
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException unreadable) {
        return null;
      }
    }
  }

  private static String bareHost(String host) {
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  /** The URL as it may appear in a log or error: scheme and host only. */
  private static String uri(String url) {
    return jp.tcportal.schema.secret.ChannelCrypto.mask(url);
  }
}
