package jp.tcportal.schema.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReportDigestTest {

  private static final String BODY =
      "{\"task_key\":\"k\",\"task_name\":\"名前\",\"kind\":\"bat\",\"status\":\"failed\","
          + "\"finished_at\":\"2026-01-22T18:00:00+09:00\",\"exit_code\":1,\"message\":\"m\"}";

  private static String digest(String body) {
    return ReportDigest.of(ReportParser.parse(body.getBytes(StandardCharsets.UTF_8)).report());
  }

  @Test
  void isTheSameForARetryThatChangesOnlyFormKeyOrderOffsetOrExtraFields() {
    String retry =
        "{ \"message\":\"m\", \"exit_code\":1, \"kind\":\"bat\", \"status\":\"failed\","
            + " \"task_name\":\"名前\", \"task_key\":\"k\","
            + " \"finished_at\":\"2026-01-22T09:00:00Z\", \"sent_at\":\"2026-01-22T09:01:00Z\" }";
    assertThat(digest(retry)).isEqualTo(digest(BODY)).hasSize(64).matches("[0-9a-f]{64}");
  }

  @Test
  void differsForADifferentRun() {
    assertThat(digest(BODY.replace("failed", "success"))).isNotEqualTo(digest(BODY));
    assertThat(digest(BODY.replace("18:00:00", "18:00:01"))).isNotEqualTo(digest(BODY));
    assertThat(digest(BODY.replace("\"m\"", "\"m2\""))).isNotEqualTo(digest(BODY));
    // Absent and empty differ: a length prefix and a presence byte keep fields apart.
    assertThat(digest(BODY.replace(",\"message\":\"m\"", ",\"message\":\"\"")))
        .isNotEqualTo(digest(BODY.replace(",\"message\":\"m\"", "")));
  }
}
