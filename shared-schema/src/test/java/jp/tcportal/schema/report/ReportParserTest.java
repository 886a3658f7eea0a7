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
  @ValueSource(strings = {"-1", "2147483648", "12.5"})
  void rejectsDurationsOutsideTheIntColumn(String value) {
    assertRejected(
        minimal(",\"duration_ms\":" + value),
        "duration_ms must be an integer from 0 to 2147483647");
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
  @ValueSource(strings = {"2026-01-22T09:00:00", "2026-01-22", "yesterday", ""})
  void rejectsTimestampsWithoutAnOffset(String text) {
    assertRejected(
        minimal(",\"finished_at\":\"" + text + "\""),
        "finished_at must be an ISO 8601 timestamp with Z or an offset, e.g. 2026-01-22T09:00:00Z");
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
  void statesTheLimitWhenAStringIsTooLong() {
    assertRejected(
        minimal(",\"message\":\"" + "x".repeat(ReportLimits.MAX_MESSAGE_LENGTH + 1) + "\""),
        "message must be at most 65536 characters");
    assertRejected(
        minimal("").replace("\"k\"", "\"" + "k".repeat(201) + "\""),
        "task_key must be at most 200 characters");
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
