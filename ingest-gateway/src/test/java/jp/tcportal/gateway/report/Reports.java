package jp.tcportal.gateway.report;

import jp.tcportal.schema.event.EventJson;
import tools.jackson.databind.node.ObjectNode;

/** Report bodies for tests: a complete valid one, changed field by field. */
final class Reports {

  private Reports() {}

  /** Every field of the spec's request, with Japanese text as the Windows jobs send it. */
  static ObjectNode complete(String taskKey) {
    ObjectNode report = EventJson.mapper().createObjectNode();
    report.put("task_key", taskKey);
    report.put("task_name", "ナイトリー取込");
    report.put("kind", "python");
    report.put("status", "failed");
    report.put("started_at", "2026-01-22T09:00:00Z");
    report.put("finished_at", "2026-01-22T18:05:30.123456+09:00");
    report.put("duration_ms", 330123);
    report.put("exit_code", 2);
    report.put("message", "処理失敗: 100件中3件でエラー");
    report.put("log_url", "C:\\Logs\\nightly_import.log");
    report.put("machine_name", "PC-TOKYO-01");
    return report;
  }

  /** Only the four required fields. */
  static ObjectNode minimal(String taskKey) {
    ObjectNode report = EventJson.mapper().createObjectNode();
    report.put("task_key", taskKey);
    report.put("task_name", "日次同期");
    report.put("kind", "bat");
    report.put("status", "success");
    return report;
  }

  static String json(ObjectNode report) {
    return EventJson.mapper().writeValueAsString(report);
  }
}
