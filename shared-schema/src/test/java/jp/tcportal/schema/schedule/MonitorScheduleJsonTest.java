package jp.tcportal.schema.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import jp.tcportal.schema.event.EventJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonitorScheduleJsonTest {

  private static MonitorSchedule patch(MonitorSchedule current, String json) {
    return MonitorScheduleJson.applyPatch(current, EventJson.mapper().readTree(json));
  }

  @Test
  void readsTheIssuesExample() {
    MonitorSchedule settings =
        patch(
            MonitorSchedule.DEFAULT,
            """
            {"enabled": true,
             "schedule": {"type": "cron", "interval_seconds": 3600, "cron": "30 2 * * *",
                          "time_zone": "Asia/Tokyo"},
             "grace_seconds": 600, "max_runtime_seconds": 7200, "failure_threshold": 3,
             "recovery_threshold": 1}""");
    assertThat(settings.schedule().type()).isEqualTo(ScheduleType.CRON);
    assertThat(settings.schedule().cronText()).isEqualTo("30 2 * * *");
    assertThat(settings.schedule().intervalSeconds()).isNull();
    assertThat(settings.maxRuntime()).isEqualTo(Duration.ofHours(2));
    assertThat(settings.failureThreshold()).isEqualTo(3);
  }

  @Test
  void anAbsentFieldKeepsItsValueAndNullResetsIt() {
    MonitorSchedule current =
        patch(
            MonitorSchedule.DEFAULT,
            """
            {"schedule": {"type": "interval", "interval_seconds": 3600},
             "grace_seconds": 900, "max_runtime_seconds": 7200, "failure_threshold": 3}""");
    MonitorSchedule kept = patch(current, "{\"recovery_threshold\": 2}");
    assertThat(kept.schedule()).isEqualTo(current.schedule());
    assertThat(kept.graceSeconds()).isEqualTo(900);
    assertThat(kept.maxRuntimeSeconds()).isEqualTo(7200);
    assertThat(kept.failureThreshold()).isEqualTo(3);
    assertThat(kept.recoveryThreshold()).isEqualTo(2);
    MonitorSchedule reset =
        patch(
            kept,
            """
            {"schedule": null, "grace_seconds": null, "max_runtime_seconds": null,
             "failure_threshold": null, "recovery_threshold": null}""");
    assertThat(reset).isEqualTo(MonitorSchedule.DEFAULT);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"grace_seconds\": \"600\"}| grace_seconds| grace_seconds must be an integer from 30 to 604800",
        "{\"grace_seconds\": 600.5}| grace_seconds| grace_seconds must be an integer from 30 to 604800",
        "{\"grace_seconds\": 99999999999999999999}| grace_seconds| grace_seconds must be an integer from 30 to 604800",
        "{\"grace_seconds\": 29}| grace_seconds| grace_seconds must be an integer from 30 to 604800",
        "{\"max_runtime_seconds\": true}| max_runtime_seconds| max_runtime_seconds must be null (no limit) or an integer from 30 to 2419200",
        "{\"failure_threshold\": 0}| failure_threshold| failure_threshold must be an integer from 1 to 100",
        "{\"recovery_threshold\": [1]}| recovery_threshold| recovery_threshold must be an integer from 1 to 100",
        "{\"schedule\": \"daily\"}| schedule| schedule must be an object with type none, interval or cron, or null",
        "{\"schedule\": {\"type\": 1}}| schedule.type| schedule.type must be one of: none, interval, cron",
        "{\"schedule\": {}}| schedule.type| schedule.type must be one of: none, interval, cron",
        "{\"schedule\": {\"type\": \"interval\", \"interval_seconds\": \"1h\"}}| schedule.interval_seconds| schedule.interval_seconds must be an integer from 60 to 2678400",
        "{\"schedule\": {\"type\": \"cron\", \"cron\": 5}}| schedule.cron| schedule.cron must be a string of 5 fields: minute hour day-of-month month day-of-week",
        "{\"schedule\": {\"type\": \"cron\", \"cron\": \"61 * * * *\"}}| schedule.cron| schedule.cron minute field: value 61 is out of range 0-59",
        "{\"schedule\": {\"type\": \"none\", \"time_zone\": 9}}| schedule.time_zone| schedule.time_zone must be an IANA time zone such as Asia/Tokyo or a Windows time zone id such as Tokyo Standard Time",
        "[]| body| body must be a JSON object",
      })
  void rejectsWrongTypesWithTheFieldsRangeMessage(String json, String field, String message) {
    assertThatThrownBy(() -> patch(MonitorSchedule.DEFAULT, json))
        .isInstanceOf(InvalidScheduleException.class)
        .hasMessage(message)
        .extracting(e -> ((InvalidScheduleException) e).field())
        .isEqualTo(field);
  }

  @Test
  void writesEveryFieldWithNullsWhereUnset() {
    assertThat(MonitorScheduleJson.toJson(MonitorSchedule.DEFAULT).toString())
        .isEqualTo(
            "{\"schedule\":{\"type\":\"none\",\"interval_seconds\":null,\"cron\":null,"
                + "\"time_zone\":\"Asia/Tokyo\"},\"grace_seconds\":600,\"max_runtime_seconds\":null,"
                + "\"failure_threshold\":1,\"recovery_threshold\":1}");
  }

  @Test
  void whatItWritesItReadsBack() {
    MonitorSchedule settings =
        patch(
            MonitorSchedule.DEFAULT,
            """
            {"schedule": {"type": "cron", "cron": "*/15 9-17 * * MON-FRI",
                          "time_zone": "W. Europe Standard Time"},
             "grace_seconds": 120, "max_runtime_seconds": 3600, "failure_threshold": 2,
             "recovery_threshold": 2}""");
    assertThat(MonitorScheduleJson.toJson(settings).get("schedule").get("time_zone").stringValue())
        .isEqualTo("Europe/Berlin");
    assertThat(
            MonitorScheduleJson.applyPatch(
                MonitorSchedule.DEFAULT, MonitorScheduleJson.toJson(settings)))
        .isEqualTo(settings);
  }
}
