package jp.tcportal.gateway.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;

/** The spec's success answer, plus the {@code report_id} under which the run will be stored. */
record ReportAccepted(
    @JsonProperty("ok") boolean ok,
    @JsonProperty("monitor_id") UUID monitorId,
    @JsonProperty("task_key") String taskKey,
    @JsonProperty("report_id") UUID reportId) {}
