package jp.tcportal.schema.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import jp.tcportal.schema.report.Kind;
import org.junit.jupiter.api.Test;

class ReportIdentityTest {

  private static final UUID KEY = UUID.fromString("0b8f3f8e-5d7c-4a51-9d3e-2f1f6d0a9c11");

  @Test
  void scopesOneIdempotencyKeyToEachMonitor() {
    UUID nightly = MonitorIdentity.monitorId("nightly", Kind.BAT, "PC-01");
    UUID hourly = MonitorIdentity.monitorId("hourly", Kind.BAT, "PC-01");
    assertThat(ReportIdentity.reportId(nightly, KEY))
        .isEqualTo(ReportIdentity.reportId(nightly, KEY))
        .isNotEqualTo(ReportIdentity.reportId(hourly, KEY))
        .isNotEqualTo(KEY);
    assertThat(ReportIdentity.reportId(nightly, KEY).version()).isEqualTo(5);
  }

  @Test
  void pinsTheReportIdSoEveryServiceAndReleaseComputesTheSame() {
    assertThat(
            ReportIdentity.reportId(UUID.fromString("c22c87cb-f239-578f-95a3-89884033b4b1"), KEY))
        .hasToString("ac6469d8-989c-5ca4-a393-7edcbfb19701");
  }

  @Test
  void derivesAStableDistinctIdForADifferentRunUnderATakenId() {
    UUID taken = ReportIdentity.reportId(MonitorIdentity.monitorId("k", Kind.BAT, null), KEY);
    assertThat(ReportIdentity.conflictId(taken, "aa"))
        .isEqualTo(ReportIdentity.conflictId(taken, "aa"))
        .isNotEqualTo(ReportIdentity.conflictId(taken, "bb"))
        .isNotEqualTo(taken);
  }
}
