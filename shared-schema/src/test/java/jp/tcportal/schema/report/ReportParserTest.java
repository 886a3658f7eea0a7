package jp.tcportal.schema.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReportParserTest {

  private static MonitorReport parse(String json) {
    return ReportParser.parse(json.getBytes(StandardCharsets.UTF_8)).report();
  }

  private static ReportParser.ParsedReport parsedWith(String extra) {
    return ReportParser.parse(minimal(extra).getBytes(StandardCharsets.UTF_8));
  }

  private static String minimal(String extra) {
    return "{\"task_key\":\"k\",\"task_name\":\"名前\",\"kind\":\"python\",\"status\":\"success\""
        + extra
        + "}";
  }

  private static void assertRejected(String json, String message) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(InvalidReportException.class)
        .hasMessage(message);
  }

  @Test
  void acceptsTheSpecsExampleRequest() {
    MonitorReport report =
        parse(
            """
            {"task_key":"daily_sync","task_name":"日次同期","kind":"python","status":"success",
             "exit_code":0,"message":"処理完了: 100件","started_at":"2026-01-22T09:00:00Z",
             "finished_at":"2026-01-22T09:05:30Z","duration_ms":330000}""");
    assertThat(report.taskKey()).isEqualTo("daily_sync");
    assertThat(report.taskName()).isEqualTo("日次同期");
    assertThat(report.kind()).isEqualTo(Kind.PYTHON);
    assertThat(report.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(report.startedAt()).isEqualTo(Instant.parse("2026-01-22T09:00:00Z"));
    assertThat(report.durationMs()).isEqualTo(330000);
    assertThat(report.exitCode()).isZero();
    assertThat(report.machineName()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"task_key", "task_name", "kind", "status"})
  void rejectsAMissingRequiredFieldWithTheSpecsMessage(String field) {
    String json = minimal("").replaceFirst("\"" + field + "\":\"[^\"]*\",?", "").replace(",}", "}");
    assertRejected(json, field + " is required and must be a string");
  }

  @ParameterizedTest
  @ValueSource(strings = {"task_key", "task_name", "kind", "status"})
  void rejectsANonStringRequiredField(String field) {
    String json = minimal("").replaceFirst("\"" + field + "\":\"[^\"]*\"", "\"" + field + "\":42");
    assertRejected(json, field + " is required and must be a string");
  }

  @Test
  void rejectsABlankRequiredField() {
    assertRejected(minimal("").replace("\"k\"", "\"  \""), "task_key must not be blank");
  }

  @Test
  void rejectsAnUnknownKindOrStatus() {
    assertRejected(minimal("").replace("python", "powershell"), "kind must be one of: python, bat");
    assertRejected(minimal("").replace("success", "ok"), "status must be one of: success, failed");
  }

  @Test
  void storesWindowsExitCodesGivenUnsignedAsSignedIntegers() {
    assertThat(parse(minimal(",\"exit_code\":3221225477")).exitCode()).isEqualTo(-1073741819);
    assertThat(parse(minimal(",\"exit_code\":-1")).exitCode()).isEqualTo(-1);
    assertThat(parse(minimal(",\"exit_code\":4294967295")).exitCode()).isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"4294967296", "-2147483649", "1.5", "\"1\"", "1e3", "true"})
  void rejectsExitCodesThatAreNotA32BitInteger(String value) {
    assertRejected(
        minimal(",\"exit_code\":" + value),
        "exit_code must be an integer from -2147483648 to 4294967295");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2147483648", "2147483647.5", "1e300", "\"12\"", "true", "1e400"})
  void rejectsDurationsBeyondTheIntColumnOrNotNumbers(String value) {
    assertRejected(
        minimal(",\"duration_ms\":" + value),
        "duration_ms must be a number of milliseconds, at most 2147483647");
  }

  @ParameterizedTest
  @CsvSource({"1234.5, 1235", "1234.4999, 1234", "12.0, 12", "0.5, 1", "2147483646.5, 2147483647"})
  void roundsAFractionalDurationHalfUpAsTheSpecsIntColumnDid(String value, int expected) {
    ReportParser.ParsedReport parsed = parsedWith(",\"duration_ms\":" + value);
    assertThat(parsed.report().durationMs()).isEqualTo(expected);
    assertThat(parsed.leniencies()).containsExactly(Leniency.DURATION_ROUNDED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-3", "-0.4", "-1e30", "-2147483649"})
  void storesANegativeDurationAsAbsent(String value) {
    ReportParser.ParsedReport parsed = parsedWith(",\"duration_ms\":" + value);
    assertThat(parsed.report().durationMs()).isNull();
    assertThat(parsed.leniencies()).containsExactly(Leniency.DURATION_NEGATIVE);
  }

  @Test
  void countsNoLeniencyForAReportThatNeedsNone() {
    assertThat(
            parsedWith(",\"duration_ms\":0,\"started_at\":\"2026-01-22T09:00:00Z\"").leniencies())
        .isEmpty();
    assertThat(parse(minimal(",\"started_at\":\"2026-01-22T09:00:00Z\"")).assumedTimeZone())
        .isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "2026-01-22T09:00:00Z, 2026-01-22T09:00:00Z",
    "2026-01-22T18:00:00+09:00, 2026-01-22T09:00:00Z",
    "2026-01-22T09:00:00.1234567Z, 2026-01-22T09:00:00.123456Z",
    "2026-01-22T09:00:00.123456+00:00, 2026-01-22T09:00:00.123456Z"
  })
  void acceptsIso8601InstantsWithZOrAnOffset(String text, String expected) {
    assertThat(parse(minimal(",\"started_at\":\"" + text + "\"")).startedAt())
        .isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-01-22", "yesterday", "", "2026-01-22 09:00:00", "09:00:00"})
  void rejectsTextThatIsNoIsoDateAndTime(String text) {
    assertRejected(
        minimal(",\"finished_at\":\"" + text + "\""),
        "finished_at must be an ISO 8601 timestamp, e.g. 2026-01-22T09:00:00Z or"
            + " 2026-01-22T18:00:00+09:00");
  }

  @ParameterizedTest
  @CsvSource({
    "2026-01-22T09:00:00, 2026-01-22T00:00:00Z",
    "2026-01-22T09:00:00.123456, 2026-01-22T00:00:00.123456Z",
    "2026-01-22T09:00, 2026-01-22T00:00:00Z"
  })
  void readsAnInstantWithoutAnOffsetInTheClientZoneAndSaysSo(String text, String expected) {
    ReportParser.ParsedReport parsed =
        parsedWith(",\"started_at\":\"" + text + "\",\"finished_at\":\"2026-01-22T09:00:01Z\"");
    assertThat(parsed.report().startedAt()).isEqualTo(Instant.parse(expected));
    assertThat(parsed.report().finishedAt()).isEqualTo(Instant.parse("2026-01-22T09:00:01Z"));
    assertThat(parsed.report().assumedTimeZone()).isEqualTo("Asia/Tokyo");
    assertThat(parsed.leniencies()).containsExactly(Leniency.ASSUMED_ZONE);
    assertThat(parsed.body().get("started_at").stringValue()).isEqualTo(text);
  }

  @Test
  void readsAnInstantWithoutAnOffsetInTheConfiguredZone() {
    MonitorReport report =
        ReportParser.parse(
                minimal(",\"finished_at\":\"2026-07-01T12:00:00\"")
                    .getBytes(StandardCharsets.UTF_8),
                java.time.ZoneId.of("Europe/Berlin"))
            .report();
    assertThat(report.finishedAt()).isEqualTo(Instant.parse("2026-07-01T10:00:00Z"));
    assertThat(report.assumedTimeZone()).isEqualTo("Europe/Berlin");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "+300000-01-01T00:00:00Z",
        "+10000-01-01T00:00:00Z",
        "0000-12-31T23:59:59Z",
        "0001-01-01T00:00:00+00:01",
        "-0001-01-01T00:00:00Z",
        "+10000-01-02T00:00:00"
      })
  void rejectsInstantsThatPostgresOrIsoTextCannotCarry(String text) {
    assertRejected(
        minimal(",\"started_at\":\"" + text + "\""),
        "started_at must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
  }

  @ParameterizedTest
  @CsvSource({
    "0001-01-01T00:00:00Z, 0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999999Z, 9999-12-31T23:59:59.999999Z",
    "9999-12-31T23:59:59.999999-00:00, 9999-12-31T23:59:59.999999Z"
  })
  void acceptsTheExtremeInstantsItCanStore(String text, String expected) {
    assertThat(parse(minimal(",\"started_at\":\"" + text + "\"")).startedAt())
        .isEqualTo(Instant.parse(expected));
  }

  @Test
  void treatsAnEmptyMachineNameAsAbsent() {
    assertThat(parse(minimal(",\"machine_name\":\"\"")).machineName()).isNull();
    assertThat(parse(minimal(",\"machine_name\":null")).machineName()).isNull();
    assertThat(parse(minimal(",\"machine_name\":\"PC-01\"")).machineName()).isEqualTo("PC-01");
  }

  @Test
  void rejectsOptionalFieldsOfTheWrongType() {
    assertRejected(minimal(",\"message\":123"), "message must be a string");
    assertRejected(minimal(",\"log_url\":{}"), "log_url must be a string");
    assertRejected(minimal(",\"machine_name\":[]"), "machine_name must be a string");
  }

  @Test
  void statesTheLimitWhenAnIdentifyingStringIsTooLong() {
    assertRejected(
        minimal("").replace("\"k\"", "\"" + "k".repeat(201) + "\""),
        "task_key must be at most 200 characters");
    assertRejected(
        minimal(",\"machine_name\":\"" + "m".repeat(256) + "\""),
        "machine_name must be at most 255 characters");
  }

  @Test
  void cutsOverlongOptionalTextToItsLimitWithAVisibleMarker() {
    ReportParser.ParsedReport parsed =
        parsedWith(
            ",\"message\":\""
                + "x".repeat(100_000)
                + "\",\"log_url\":\""
                + "u".repeat(5000)
                + "\"");
    String message = parsed.report().message();
    assertThat(message).hasSize(ReportLimits.MAX_MESSAGE_LENGTH);
    assertThat(message).startsWith("xxx").endsWith("…(truncated, 100,000 characters)");
    assertThat(parsed.report().logUrl())
        .hasSizeLessThanOrEqualTo(ReportLimits.MAX_LOG_URL_LENGTH)
        .endsWith("…(truncated, 5,000 characters)");
    assertThat(parsed.leniencies()).containsExactly(Leniency.TRUNCATED);
    assertThat(parsed.body().get("message").stringValue()).hasSize(100_000);

    MonitorReport longName = parse(minimal("").replace("名前", "名".repeat(501)));
    assertThat(longName.taskName())
        .hasSize(ReportLimits.MAX_TASK_NAME_LENGTH)
        .endsWith("…(truncated, 501 characters)");
  }

  @Test
  void neverCutsASurrogatePairInTwo() {
    String marker = "…(truncated, 70,000 characters)";
    int cut = ReportLimits.MAX_MESSAGE_LENGTH - marker.length();
    // An emoji whose high surrogate sits exactly at the last kept position.
    String text = "a".repeat(cut - 1) + "😀".repeat((70_000 - cut + 1) / 2);
    text = text + "a".repeat(70_000 - text.length());
    String cutText =
        ReportParser.truncated(text, ReportLimits.MAX_MESSAGE_LENGTH, new java.util.HashSet<>());
    assertThat(cutText).endsWith(marker).hasSizeLessThanOrEqualTo(ReportLimits.MAX_MESSAGE_LENGTH);
    String kept = cutText.substring(0, cutText.length() - marker.length());
    assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
    assertThat(kept).hasSize(cut - 1);
  }

  @Test
  void rejectsNulCharactersThatPostgresCannotStore() {
    assertRejected(
        minimal(",\"message\":\"a\\u0000b\""), "message must not contain NUL characters");
  }

  @Test
  void rejectsUnpairedSurrogatesThatNoUtf8CanCarry() {
    assertRejected(
        minimal(",\"message\":\"a\\ud800b\""), "message must not contain unpaired surrogates");
    assertRejected(
        minimal(",\"task_name_kana\":\"\\udc00\""),
        "Invalid JSON body: text must not contain U+0000 or unpaired surrogates");
  }

  @Test
  void rejectsAnUnknownNumberThatOverflowsToInfinityBecauseRawCouldNotCarryIt() {
    assertRejected(minimal(",\"extra\":[342e0566811]"), "Invalid JSON body: number out of range");
    assertRejected(minimal(",\"extra\":-1e400"), "Invalid JSON body: number out of range");
    assertThat(parse(minimal(",\"extra\":1.5e300")).taskKey()).isEqualTo("k");
  }

  @Test
  void rejectsUnstorableTextAnywhereInTheBodyBecauseRawIsStoredToo() {
    String rule = "Invalid JSON body: text must not contain U+0000 or unpaired surrogates";
    assertRejected(minimal(",\"extra\":{\"deep\":[\"a\\u0000\"]}"), rule);
    assertRejected(minimal(",\"bad\\u0000name\":1"), rule);
    assertThat(parse(minimal(",\"extra\":[\"\\ud83d\\ude00 絵文字\"]")).taskKey()).isEqualTo("k");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"task_key\":}", "not json", "{} {}", "{\"a\":1,}"})
  void rejectsMalformedJson(String body) {
    assertRejected(body, "Invalid JSON body");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"text\"", "42", "null"})
  void rejectsABodyThatIsNotAnObject(String body) {
    assertRejected(body, "Request body must be a JSON object");
  }

  @Test
  void rejectsAnEmptyBody() {
    assertThatThrownBy(() -> ReportParser.parse(new byte[0]))
        .hasMessage("Request body must be a JSON object");
  }

  @Test
  void rejectsDuplicateKeys() {
    assertRejected(
        "{\"task_key\":\"a\",\"task_key\":\"b\",\"task_name\":\"n\",\"kind\":\"bat\",\"status\":\"failed\"}",
        "Invalid JSON body: duplicate field");
  }

  @Test
  void acceptsNestingUpToTheLimitAndNoDeeper() {
    // The body object itself is level 1.
    String atLimit = "[".repeat(15) + "]".repeat(15);
    assertThat(parse(minimal(",\"extra\":" + atLimit)).taskKey()).isEqualTo("k");
    String beyond = "[".repeat(16) + "]".repeat(16);
    assertRejected(minimal(",\"extra\":" + beyond), "Invalid JSON body: nesting deeper than 16");
  }

  @Test
  void rejectsDeepNesting() {
    String deep = "[".repeat(100) + "]".repeat(100);
    assertRejected(minimal(",\"extra\":" + deep), "Invalid JSON body: nesting deeper than 16");
  }

  @Test
  void rejectsOverlongNumbers() {
    assertRejected(
        minimal(",\"exit_code\":" + "9".repeat(40)),
        "Invalid JSON body: number longer than 32 digits");
  }

  @Test
  void keepsTheOriginalBodyForRaw() {
    ReportParser.ParsedReport parsed =
        ReportParser.parse(minimal(",\"custom\":{\"a\":[1,2]}").getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.body().get("custom").get("a").get(1).asInt()).isEqualTo(2);
  }
}
