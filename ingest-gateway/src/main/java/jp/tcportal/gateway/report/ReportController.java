package jp.tcportal.gateway.report;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import jp.tcportal.gateway.GatewaySettings;
import jp.tcportal.gateway.error.ErrorBody;
import jp.tcportal.gateway.publish.ReportNotQueuedException;
import jp.tcportal.gateway.publish.ReportPublisher;
import jp.tcportal.gateway.secret.WebhookSecrets;
import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.report.InvalidReportException;
import jp.tcportal.schema.report.ReportLimits;
import jp.tcportal.schema.report.ReportParser;
import jp.tcportal.schema.report.ReportParser.ParsedReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * read only for a client that presented a valid secret: secret (401), declared size (413), media
 * type (415), Idempotency-Key (400), body size while reading (413), the report itself (400). A
 * valid report is answered 200 only once the broker acknowledged it; 503 when it could not.
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

  private final WebhookSecrets secrets;
  private final ReportPublisher publisher;
  private final ReportMetrics metrics;
  private final String retryAfterSeconds;

  /** During an outage every request fails the same way: one line per interval is enough. */
  private final ThrottledLog unavailableLog =
      new ThrottledLog(log, "Reports not queued, answering 503", Duration.ofSeconds(10));

  ReportController(
      WebhookSecrets secrets,
      ReportPublisher publisher,
      ReportMetrics metrics,
      GatewaySettings settings) {
    this.secrets = secrets;
    this.publisher = publisher;
    this.metrics = metrics;
    this.retryAfterSeconds = String.valueOf(Math.max(1, settings.retryAfter().toSeconds()));
  }

  @PostMapping("/api/monitor/report")
  Mono<ResponseEntity<ReportAccepted>> report(ServerHttpRequest request) {
    HttpHeaders headers = request.getHeaders();
    if (!secrets.accepts(headers.getFirst(SECRET_HEADER))) {
      throw new ReportRejectedException(Rejection.UNAUTHORIZED, "Invalid or missing secret");
    }
    if (headers.getContentLength() > ReportLimits.MAX_BODY_BYTES) {
      throw new ReportRejectedException(Rejection.TOO_LARGE, TOO_LARGE_MESSAGE);
    }
    Charset declaredCharset = jsonCharset(headers);
    UUID reportId = reportId(headers.get(IDEMPOTENCY_KEY_HEADER));
    Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);

    return DataBufferUtils.join(request.getBody(), ReportLimits.MAX_BODY_BYTES)
        .map(ReportController::bytesOf)
        .defaultIfEmpty(new byte[0])
        .onErrorMap(
            DataBufferLimitException.class,
            tooLarge -> new ReportRejectedException(Rejection.TOO_LARGE, TOO_LARGE_MESSAGE))
        .map(body -> inUtf8(body, declaredCharset))
        .map(ReportController::parse)
        .map(parsed -> RunReported.of(reportId, receivedAt, parsed.report(), parsed.body()))
        .flatMap(
            event ->
                publisher
                    .publish(event)
                    .onErrorMap(ReportNotQueuedException.class, this::notQueued)
                    .then(
                        Mono.fromSupplier(
                            () -> {
                              metrics.accepted();
                              // Always JSON, whatever the client's Accept header says.
                              return ResponseEntity.ok()
                                  .contentType(MediaType.APPLICATION_JSON)
                                  .body(
                                      new ReportAccepted(
                                          true,
                                          event.monitorId(),
                                          event.taskKey(),
                                          event.reportId()));
                            })));
  }

  /** Every refusal of this endpoint, answered in one place with the spec's error shape. */
  @ExceptionHandler(ReportRejectedException.class)
  ResponseEntity<ErrorBody> rejected(ReportRejectedException rejected) {
    metrics.rejected(rejected.rejection());
    ResponseEntity.BodyBuilder answer = ResponseEntity.status(rejected.rejection().status());
    if (rejected.rejection() == Rejection.UNAVAILABLE) {
      answer.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
    }
    return answer
        .contentType(MediaType.APPLICATION_JSON)
        .body(new ErrorBody(rejected.getMessage()));
  }

  /**
   * JSON in any charset or any {@code +json} type; returns the declared charset, if any. A request
   * without Content-Type is read as JSON: the spec's reference route parsed every body as JSON, and
   * older scripts may not set the header.
   */
  private static Charset jsonCharset(HttpHeaders headers) {
    MediaType type;
    try {
      type = headers.getContentType();
    } catch (InvalidMediaTypeException e) {
      throw unsupportedMediaType();
    }
    if (type == null) {
      return null;
    }
    boolean json =
        MediaType.APPLICATION_JSON.isCompatibleWith(type)
            || ("application".equals(type.getType()) && "json".equals(type.getSubtypeSuffix()));
    if (!json || type.isWildcardSubtype()) {
      throw unsupportedMediaType();
    }
    try {
      return type.getCharset();
    } catch (IllegalArgumentException unknownCharset) {
      throw new ReportRejectedException(
          Rejection.UNSUPPORTED_MEDIA_TYPE, "Content-Type charset is not supported");
    }
  }

  /**
   * The body as UTF-8. JSON is UTF-8 (RFC 8259) and the parser also recognises UTF-16/32 and a BOM
   * by itself; a client that declares another charset (e.g. Shift_JIS from an old Japanese Windows
   * tool) is decoded by what it declared, so its text arrives intact.
   */
  private static byte[] inUtf8(byte[] body, Charset declared) {
    if (declared == null || declared.name().startsWith("UTF-")) {
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

  private static ReportRejectedException unsupportedMediaType() {
    return new ReportRejectedException(
        Rejection.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
  }

  /** The client's Idempotency-Key, so a retried run is stored once; otherwise a fresh id. */
  private static UUID reportId(List<String> idempotencyKeys) {
    if (idempotencyKeys == null || idempotencyKeys.isEmpty()) {
      return UUID.randomUUID();
    }
    String key = idempotencyKeys.get(0).strip();
    if (idempotencyKeys.size() > 1 || !UUID_TEXT.matcher(key).matches()) {
      throw new ReportRejectedException(Rejection.INVALID, "Idempotency-Key must be a UUID");
    }
    return UUID.fromString(key);
  }

  private static ParsedReport parse(byte[] body) {
    try {
      return ReportParser.parse(body);
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

  private ReportRejectedException notQueued(ReportNotQueuedException failure) {
    if (failure.retryable()) {
      unavailableLog.warn(() -> describe(failure));
      return new ReportRejectedException(
          Rejection.UNAVAILABLE, "Report could not be queued, retry later");
    }
    log.error("Report can never be queued, answering 500", failure);
    return new ReportRejectedException(Rejection.NOT_QUEUED, "Report could not be queued");
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
