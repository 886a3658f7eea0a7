package jp.tcportal.processor.ingest;

import jp.tcportal.schema.event.RunReported;
import jp.tcportal.schema.identity.ReportIdentity;

/** Tells a retry of one run from a different run that reused its Idempotency-Key. */
final class IdempotencyConflicts {

  private IdempotencyConflicts() {}

  /** The event under the id derived from its taken id and its own digest. */
  static RunReported rekeyed(RunReported event) {
    return event.withReportId(ReportIdentity.conflictId(event.reportId(), event.bodyDigest()));
  }
}
