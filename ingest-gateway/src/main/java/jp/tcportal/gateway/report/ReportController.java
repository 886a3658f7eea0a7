package jp.tcportal.gateway.report;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tcportal.gateway.GatewaySettings;
import jp.tcportal.gateway.error.ErrorBody;
import jp.tcportal.gateway.publish.ReportNotQueuedException;
import jp.tcportal.gateway.publish.ReportPublisher;
import jp.tcportal.gateway.ratelimit.ReportRateLimits;
import jp.tcportal.gateway.secret.RequestSignatures;
import jp.tcportal.gateway.secret.WebhookSecrets;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.identity.MonitorIdentity;
import jp.tcportal.schema.identity.ReportIdentity;
import jp.tcportal.schema.report.InvalidReportException;
import jp.tcportal.schema.report.Leniency;
import jp.tcportal.schema.report.MonitorReport;
import jp.tcportal.schema.report.ReportLimits;
import jp.tcportal.schema.report.ReportParser;
import jp.tcportal.schema.report.ReportParser.ParsedReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/monitor/report} (spec section 3). The checks run cheapest first and the body is
 * read only for a client that presented a valid credential: rate limit per address (429, when
 * enabled), credentials (401: the plain secret, or a fresh timestamp with a well-formed signature),
 * rate limit per secret (429), declared size (413), content coding and charset (415),
 * Idempotency-Key (400), body size while reading (413), the signature over the body (401), the
 * report itself (400), a key reused for a different report of the task (409). A valid report is
 * answered 200 only once the broker acknowledged it; 503 when it could not.
 *
 * <p>The body is read as JSON whatever the Content-Type says, as the spec's route did (curl's
 * {@code -d} sends form-urlencoded, old scripts send text/plain or nothing); a charset parameter is
 * honoured, and one that cannot be decoded is the only 415 of the media type.
 */
@RestController
class ReportController {

  static final String SECRET_HEADER = "X-TC-Portal-Secret";
  static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

  private static final Logger log = LoggerFactory.getLogger(ReportController.class);

  /** Canonical 8-4-4-4-12 hex only: {@link UUID#fromString} also takes forms like "1-2-3-4-5". */
  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  private static final String TOO_LARGE_MESSAGE =
      "Request body must be at most " + ReportLimits.MAX_BODY_BYTES + " bytes";
  private static final String UNAUTHORIZED_MESSAGE = "Invalid or missing secret";
  private static final Pattern CHARSET_PARAMETER =
      Pattern.compile("(?i);\\s*charset\\s*=\\s*\"?([^\";\\s]*)");
  static final String IDEMPOTENCY_CONFLICT_MESSAGE =
      "Idempotency-Key was already used for a different report of this task: send a new key for"
          + " each run and reuse it only for retries of that run";

  private final WebhookSecrets secrets;
  private final RequestSignatures signatures;
  private final boolean requireSignature;
  private final ReportRateLimits rateLimits;
  private final ReportPublisher publisher;
  private final ReportMetrics metrics;
  private final String retryAfterSeconds;
  private final ZoneId clientZone;
  private final RecentIdempotencyKeys recentKeys;

  /** During an outage every request fails the same way: one line per interval is enough. */
  private final ThrottledLog unavailableLog =
      new ThrottledLog(log, "Reports not queued, answering 503", Duration.ofSeconds(10));

  private final ThrottledLog refusedByBrokerLog =
      new ThrottledLog(
          log, "Reports the broker can never take, answering 4xx", Duration.ofSeconds(10));

  ReportController(
      WebhookSecrets secrets,
      RequestSignatures signatures,
      ObjectProvider<ReportRateLimits> rateLimits,
      ReportPublisher publisher,
      ReportMetrics metrics,
      GatewaySettings settings,
      ReportSettings reportSettings) {
    this.secrets = secrets;
    this.signatures = signatures;
    this.requireSignature = settings.requireSignature();
    // Null when rate limiting is off: the hot path then pays one null check.
    this.rateLimits = rateLimits.getIfAvailable();
    this.publisher = publisher;
    this.metrics = metrics;
    this.retryAfterSeconds = String.valueOf(Math.max(1, settings.retryAfter().toSeconds()));
    this.clientZone = reportSettings.reportDefaultZone();
    this.recentKeys =
        new RecentIdempotencyKeys(
            reportSettings.idempotencyKeysRemembered(),
            reportSettings.idempotencyKeyMemory(),
            System::nanoTime);
  }

  @PostMapping("/api/monitor/report")
  Mono<ResponseEntity<ReportAccepted>> report(ServerHttpRequest request) {
    HttpHeaders headers = request.getHeaders();
    if (rateLimits != null) {
      throttle(rateLimits.takeForAddress(request));
    }
    Credentials credentials = credentials(headers);
    if (rateLimits != null && !credentials.signed()) {
      throttle(rateLimits.takeForSecret(credentials.secretIndex()));
    }
    if (headers.getContentLength() > ReportLimits.MAX_BODY_BYTES) {
      throw new ReportRejectedException(Rejection.TOO_LARGE, TOO_LARGE_MESSAGE);
    }
    refuseCompressedBody(headers);
    refuseUnframedTransferCoding(headers);
    DeclaredType declared = declaredType(headers);
    UUID idempotencyKey = idempotencyKey(headers.get(IDEMPOTENCY_KEY_HEADER));
    boolean keyed = idempotencyKey != null;
    Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);

    return DataBufferUtils.join(request.getBody(), ReportLimits.MAX_BODY_BYTES)
        .map(ReportController::bytesOf)
        .defaultIfEmpty(new byte[0])
        .onErrorMap(
            DataBufferLimitException.class,
            tooLarge -> new ReportRejectedException(Rejection.TOO_LARGE, TOO_LARGE_MESSAGE))
        .doOnNext(body -> checkSignature(credentials, body))
        .map(body -> read(body, declared.charset(), clientZone))
        .map(parsed -> event(parsed, idempotencyKey, receivedAt))
        .flatMap(
            event ->
                publisher
                    .publish(event.event())
                    .onErrorMap(
                        ReportNotQueuedException.class, failure -> notQueued(failure, keyed))
                    .then(
                        Mono.fromSupplier(
                            () -> {
                              metrics.accepted();
                              metrics.lenient(event.leniencies());
                              if (!declared.json()) {
                                metrics.lenientContentType();
                              }
                              // Always JSON, whatever the client's Accept header says.
                              return ResponseEntity.ok()
                                  .contentType(MediaType.APPLICATION_JSON)
                                  .body(
                                      new ReportAccepted(
                                          true,
                                          event.event().monitorId(),
                                          event.event().taskKey(),
                                          event.event().reportId()));
                            })));
  }

  /**
   * The event for a valid report. A client's Idempotency-Key names a run of one monitor only: the
   * report id is derived from both, so one key on two tasks is two runs. A key this gateway saw
   * recently for a different report of the same monitor is refused (409) rather than answered 200
   * and dropped as a duplicate by the processor.
   */
  private LenientEvent event(ParsedReport parsed, UUID idempotencyKey, Instant receivedAt) {
    MonitorReport report = parsed.report();
    UUID reportId =
        idempotencyKey == null
            ? UUID.randomUUID()
            : ReportIdentity.reportId(
                MonitorIdentity.monitorId(report.taskKey(), report.kind(), report.machineName()),
                idempotencyKey);
    RunReported event = RunReported.of(reportId, receivedAt, report, parsed.body());
    if (idempotencyKey != null && !recentKeys.claim(reportId, event.bodyDigest())) {
      metrics.idempotencyConflict();
      throw new ReportRejectedException(
          Rejection.IDEMPOTENCY_CONFLICT, IDEMPOTENCY_CONFLICT_MESSAGE);
    }
    return new LenientEvent(event, parsed.leniencies());
  }

  /** An event and what its report needed to be accepted as the spec's server did. */
  private record LenientEvent(RunReported event, Set<Leniency> leniencies) {}

  /**
   * What the request presents: the plain secret of the spec, a signature, or both. Every credential
   * presented must be valid and at least one must be; a header sent twice is refused rather than
   * guessed at. Whatever went wrong, the client reads the spec's one 401 message.
   */
  private Credentials credentials(HttpHeaders headers) {
    String secret = single(headers.get(SECRET_HEADER));
    String signature = single(headers.get(RequestSignatures.SIGNATURE_HEADER));
    String timestamp = single(headers.get(RequestSignatures.TIMESTAMP_HEADER));
    int secretIndex = WebhookSecrets.NONE;
    if (secret != null) {
      secretIndex = secrets.identify(secret);
      if (secretIndex == WebhookSecrets.NONE) {
        throw unauthorized();
      }
    }
    boolean signed = signature != null || timestamp != null;
    if (signed) {
      // Stale or malformed: refused before the body is read; the MAC itself needs the body.
      if (!RequestSignatures.isWellFormed(signature) || !signatures.isFresh(timestamp)) {
        throw unauthorized();
      }
    } else if (requireSignature || secretIndex == WebhookSecrets.NONE) {
      throw unauthorized();
    }
    return new Credentials(secretIndex, signed, timestamp, signature);
  }

  private void checkSignature(Credentials credentials, byte[] body) {
    if (!credentials.signed()) {
      return;
    }
    int signer = signatures.identify(credentials.timestamp(), credentials.signature(), body);
    if (signer == WebhookSecrets.NONE) {
      throw unauthorized();
    }
    if (rateLimits != null) {
      throttle(rateLimits.takeForSecret(signer));
    }
  }

  /** The one value of a header; {@code UNAUTHORIZED} when it was sent more than once. */
  private static String single(List<String> values) {
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw unauthorized();
    }
    return values.get(0);
  }

  private static ReportRejectedException unauthorized() {
    return new ReportRejectedException(Rejection.UNAUTHORIZED, UNAUTHORIZED_MESSAGE);
  }

  private static void throttle(Duration wait) {
    if (!wait.isZero()) {
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      throw new ReportRejectedException(
          Rejection.RATE_LIMITED, "Too many reports, retry after " + seconds + " s", seconds);
    }
  }

  /**
   * Compressed bodies are refused (415) rather than inflated: a report is small, the spec's clients
   * never compress, and refusing removes the decompression bomb altogether.
   */
  private static void refuseCompressedBody(HttpHeaders headers) {
    List<String> codings = headers.get(HttpHeaders.CONTENT_ENCODING);
    if (codings == null) {
      return;
    }
    for (String coding : codings) {
      if (!coding.isBlank() && !"identity".equalsIgnoreCase(coding.strip())) {
        throw new ReportRejectedException(
            Rejection.UNSUPPORTED_MEDIA_TYPE,
            "Content-Encoding is not supported: send the body uncompressed");
      }
    }
  }

  /**
   * Only plain {@code chunked} framing is accepted. RFC 9112 6.3: a request whose Transfer-Encoding
   * does not end with chunked has no reliable length and must be refused (Netty would read it by
   * its Content-Length instead, a proxy in front might not: that disagreement is how requests are
   * smuggled). A transfer coding before chunked (gzip, deflate) would be a compressed body, which
   * is refused like {@code Content-Encoding}.
   */
  private static void refuseUnframedTransferCoding(HttpHeaders headers) {
    List<String> codings = headers.get(HttpHeaders.TRANSFER_ENCODING);
    if (codings == null || codings.isEmpty()) {
      return;
    }
    String[] all = String.join(",", codings).split(",", -1);
    if (all.length != 1 || !"chunked".equalsIgnoreCase(all[0].strip())) {
      throw new ReportRejectedException(
          Rejection.INVALID, "Transfer-Encoding must be chunked or absent");
    }
  }

  /**
   * The request handling after the bytes arrived: the body decoded from its declared charset and
   * parsed, or a {@link ReportRejectedException} with the client's message. Separate so the fuzz
   * tests can drive it directly.
   */
  static ParsedReport read(byte[] body, Charset declaredCharset) {
    return read(body, declaredCharset, ReportParser.DEFAULT_CLIENT_ZONE);
  }

  static ParsedReport read(byte[] body, Charset declaredCharset, ZoneId clientZone) {
    return parse(inUtf8(body, declaredCharset), clientZone);
  }

  /** Every refusal of this endpoint, answered in one place with the spec's error shape. */
  @ExceptionHandler(ReportRejectedException.class)
  ResponseEntity<ErrorBody> rejected(ReportRejectedException rejected) {
    metrics.rejected(rejected.rejection());
    ResponseEntity.BodyBuilder answer = ResponseEntity.status(rejected.rejection().status());
    if (rejected.rejection() == Rejection.UNAVAILABLE) {
      answer.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
    } else if (rejected.retryAfterSeconds() > 0) {
      answer.header(HttpHeaders.RETRY_AFTER, String.valueOf(rejected.retryAfterSeconds()));
    }
    return answer
        .contentType(MediaType.APPLICATION_JSON)
        .body(new ErrorBody(rejected.getMessage()));
  }

  /**
   * The declared charset, if any, and whether the type was JSON (or absent). Any type is read as
   * JSON: the spec's reference route parsed every body as JSON whatever the header said, so curl's
   * {@code -d} (form-urlencoded), {@code text/plain} and scripts without the header all worked.
   * Only a charset that cannot be decoded is refused (415): guessing would store mangled text.
   */
  private static DeclaredType declaredType(HttpHeaders headers) {
    MediaType type;
    try {
      type = headers.getContentType();
    } catch (InvalidMediaTypeException | IndexOutOfBoundsException e) {
      // Spring 7.0's parser throws StringIndexOutOfBoundsException for "/\ (found by fuzzing);
      // an unreadable type declares nothing usable, so the body is read like one without it, unless
      // it names a charset: Spring refuses to parse a type whose charset the JVM does not know.
      return new DeclaredType(charsetParameter(headers.getFirst(HttpHeaders.CONTENT_TYPE)), false);
    }
    if (type == null) {
      return new DeclaredType(null, true);
    }
    boolean json =
        !type.isWildcardSubtype()
            && (MediaType.APPLICATION_JSON.isCompatibleWith(type)
                || ("application".equals(type.getType())
                    && "json".equals(type.getSubtypeSuffix())));
    try {
      return new DeclaredType(type.getCharset(), json);
    } catch (IllegalArgumentException unknownCharset) {
      throw new ReportRejectedException(
          Rejection.UNSUPPORTED_MEDIA_TYPE, "Content-Type charset is not supported");
    }
  }

  /** The charset parameter of a type Spring could not parse; 415 when the JVM cannot decode it. */
  private static Charset charsetParameter(String contentType) {
    Matcher charset = CHARSET_PARAMETER.matcher(contentType == null ? "" : contentType);
    if (!charset.find()) {
      return null;
    }
    try {
      return Charset.forName(charset.group(1));
    } catch (IllegalArgumentException unknownCharset) {
      throw new ReportRejectedException(
          Rejection.UNSUPPORTED_MEDIA_TYPE, "Content-Type charset is not supported");
    }
  }

  /** What the Content-Type says about the body: its charset, and whether it claimed JSON. */
  private record DeclaredType(Charset charset, boolean json) {}

  /**
   * The body as UTF-8. JSON is UTF-8 (RFC 8259) and the parser also recognises UTF-16/32 and a BOM
   * by itself; a client that declares another charset (e.g. Shift_JIS from an old Japanese Windows
   * tool) is decoded by what it declared, so its text arrives intact.
   */
  private static byte[] inUtf8(byte[] body, Charset declared) {
    if (declared == null || declared.name().startsWith("UTF-")) {
      requireWellFormedUtf8(body);
      return body;
    }
    try {
      CharBuffer text =
          declared
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body));
      return text.toString().getBytes(StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new ReportRejectedException(Rejection.INVALID, "Invalid JSON body");
    }
  }

  /**
   * The JSON parser is lenient with UTF-8: it decodes overlong forms such as {@code C0 AF} (a
   * disguised "/") and encoded surrogates. A body that is not UTF-16 or UTF-32 (which the parser
   * detects by itself) must therefore be strictly well-formed UTF-8.
   */
  private static void requireWellFormedUtf8(byte[] body) {
    if (body.length >= 2 && (body[0] == 0 || body[1] == 0 || isUtf16ByteOrderMark(body))) {
      return;
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
    } catch (CharacterCodingException e) {
      throw new ReportRejectedException(Rejection.INVALID, "Invalid JSON body: not valid UTF-8");
    }
  }

  private static boolean isUtf16ByteOrderMark(byte[] body) {
    return (body[0] == (byte) 0xFE && body[1] == (byte) 0xFF)
        || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE);
  }

  /** What {@link #credentials} found; the signature is checked once the body is read. */
  private record Credentials(int secretIndex, boolean signed, String timestamp, String signature) {}

  /** The client's Idempotency-Key, so a retried run is stored once; null when it sent none. */
  private static UUID idempotencyKey(List<String> idempotencyKeys) {
    if (idempotencyKeys == null || idempotencyKeys.isEmpty()) {
      return null;
    }
    String key = idempotencyKeys.get(0).strip();
    if (idempotencyKeys.size() > 1 || !UUID_TEXT.matcher(key).matches()) {
      throw new ReportRejectedException(Rejection.INVALID, "Idempotency-Key must be a UUID");
    }
    return UUID.fromString(key);
  }

  private static ParsedReport parse(byte[] body, ZoneId clientZone) {
    try {
      return ReportParser.parse(body, clientZone);
    } catch (InvalidReportException invalid) {
      throw new ReportRejectedException(Rejection.INVALID, invalid.getMessage());
    }
  }

  private static byte[] bytesOf(DataBuffer buffer) {
    try {
      byte[] bytes = new byte[buffer.readableByteCount()];
      buffer.read(bytes);
      return bytes;
    } finally {
      DataBufferUtils.release(buffer);
    }
  }

  /**
   * A 503 may come after the broker did append the report (the acknowledgement was lost or late): a
   * client that retries with its Idempotency-Key is stored once, one without a key twice. Those are
   * counted apart, so the runbook can say how many duplicates an outage may leave.
   */
  private ReportRejectedException notQueued(ReportNotQueuedException failure, boolean keyed) {
    return switch (failure.kind()) {
      case RETRY_LATER -> {
        unavailableLog.warn(() -> describe(failure));
        if (!keyed) {
          metrics.unavailableWithoutKey();
        }
        yield new ReportRejectedException(
            Rejection.UNAVAILABLE, "Report could not be queued, retry later");
      }
      case TOO_LARGE -> {
        refusedByBrokerLog.warn(() -> describe(failure));
        yield new ReportRejectedException(
            Rejection.TOO_LARGE,
            "Report is too large for the message broker: send a shorter message or fewer fields");
      }
      case UNPROCESSABLE -> {
        refusedByBrokerLog.warn(() -> describe(failure));
        yield new ReportRejectedException(
            Rejection.UNPROCESSABLE, "Report can never be queued: do not retry it");
      }
      case GATEWAY_FAULT -> {
        log.error("Report can never be queued, answering 500", failure);
        yield new ReportRejectedException(Rejection.NOT_QUEUED, "Report could not be queued");
      }
    };
  }

  private static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder(failure.getMessage());
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      text.append(": ")
          .append(cause.getClass().getSimpleName())
          .append(' ')
          .append(cause.getMessage());
    }
    return text.toString();
  }
}
