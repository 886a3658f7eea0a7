package jp.tcportal.schema.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The id under which a run is stored ({@code task_monitor_runs.report_id}).
 *
 * <p>A client's {@code Idempotency-Key} is scoped to its monitor: the id is a name-based UUID
 * (version 5) of {@code (monitor_id, key)}, so one key reused by two tasks (a copied script, a
 * fixed key in a task action) names two runs, not one. When one key arrives twice on one monitor
 * with different contents, the second run is stored under {@link #conflictId}, derived from the
 * first id and the second run's digest: a redelivery of that second report finds it again.
 */
public final class ReportIdentity {

  /** Fixed for the life of the system, like {@link MonitorIdentity#NAMESPACE}. */
  public static final UUID NAMESPACE = UUID.fromString("a3c0f1de-4f0b-4b8e-9a55-7d2e6c1b5f30");

  private static final UUID CONFLICT_NAMESPACE =
      UUID.fromString("5b1e7c2a-8d43-4f6e-b0a9-3c7d2e91f4a8");

  private ReportIdentity() {}

  /** The run id for a client's idempotency key on one monitor. */
  public static UUID reportId(UUID monitorId, UUID idempotencyKey) {
    ByteBuffer name = ByteBuffer.allocate(32);
    name.putLong(monitorId.getMostSignificantBits()).putLong(monitorId.getLeastSignificantBits());
    name.putLong(idempotencyKey.getMostSignificantBits())
        .putLong(idempotencyKey.getLeastSignificantBits());
    return MonitorIdentity.nameBasedSha1(NAMESPACE, name.array());
  }

  /** The id for a different run that arrived under an id already taken by another run. */
  public static UUID conflictId(UUID takenReportId, String bodyDigest) {
    return MonitorIdentity.nameBasedSha1(
        CONFLICT_NAMESPACE, (takenReportId + "/" + bodyDigest).getBytes(StandardCharsets.UTF_8));
  }
}
