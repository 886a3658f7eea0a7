package jp.tcportal.incidents.incident;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tcportal.incidents.monitor.TaskMonitor;
import jp.tcportal.incidents.paging.Cursors;
import jp.tcportal.incidents.paging.KeysetPage;
import jp.tcportal.incidents.web.InvalidRequestException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The incidents list: failing monitors (failed and enabled, the ones the badge counts) first, then
 * the most recent report first. The ORDER BY repeats the expressions of {@code
 * idx_task_monitors_incident_order} word for word, so PostgreSQL reads the first page straight off
 * that index instead of sorting every monitor; later pages continue from the cursor (keyset).
 */
@Component
class IncidentQuery {

  static final String FAILING = "((m.last_status IS NOT DISTINCT FROM 'failed') AND m.enabled)";
  static final String RECENCY = "COALESCE(m.last_occurred_at, CAST('-infinity' AS timestamptz))";

  private final EntityManager entityManager;

  IncidentQuery(EntityManager entityManager) {
    this.entityManager = entityManager;
  }

  @Transactional(readOnly = true)
  KeysetPage<TaskMonitor> page(IncidentFilter filter, String before, int limit) {
    StringBuilder sql = new StringBuilder("SELECT m.* FROM task_monitors m WHERE true");
    Map<String, Object> parameters = new LinkedHashMap<>();
    if (filter.status() != null) {
      sql.append(" AND m.last_status = :status");
      parameters.put("status", filter.status());
    }
    if (filter.kind() != null) {
      sql.append(" AND m.kind = :kind");
      parameters.put("kind", filter.kind());
    }
    if (filter.machine() != null) {
      sql.append(" AND m.machine_name ILIKE :machine ESCAPE '\\'");
      parameters.put("machine", escapeLike(filter.machine()) + "%");
    }
    if (filter.q() != null) {
      sql.append(" AND (m.task_key ILIKE :q ESCAPE '\\' OR m.task_name ILIKE :q ESCAPE '\\')");
      parameters.put("q", "%" + escapeLike(filter.q()) + "%");
    }
    if (before != null && !before.isBlank()) {
      List<String> parts = Cursors.decode(before, 3);
      boolean failing = parseFlag(parts.get(0));
      Instant recency = Cursors.time(parts.get(1));
      UUID id = Cursors.id(parts.get(2));
      // -infinity cannot travel as a bound parameter, so it is written into the SQL.
      String recencyValue =
          recency == null
              ? "CAST('-infinity' AS timestamptz)"
              : "CAST(:cursorRecency AS timestamptz)";
      sql.append(" AND (")
          .append(FAILING)
          .append(", ")
          .append(RECENCY)
          .append(", m.id) < (:cursorFailing, ")
          .append(recencyValue)
          .append(", :cursorId)");
      parameters.put("cursorFailing", failing);
      if (recency != null) {
        parameters.put("cursorRecency", recency);
      }
      parameters.put("cursorId", id);
    }
    sql.append(" ORDER BY ")
        .append(FAILING)
        .append(" DESC, ")
        .append(RECENCY)
        .append(" DESC, m.id DESC LIMIT :fetch");
    parameters.put("fetch", limit + 1);

    Query query = entityManager.createNativeQuery(sql.toString(), TaskMonitor.class);
    parameters.forEach(query::setParameter);
    @SuppressWarnings("unchecked")
    List<TaskMonitor> rows = query.getResultList();
    return KeysetPage.of(rows, limit, IncidentQuery::cursorOf);
  }

  static String cursorOf(TaskMonitor monitor) {
    return Cursors.encode(
        monitor.isFailing() ? "1" : "0",
        Cursors.time(monitor.getLastOccurredAt()),
        monitor.getId().toString());
  }

  private static boolean parseFlag(String flag) {
    return switch (flag) {
      case "1" -> true;
      case "0" -> false;
      default -> throw new InvalidRequestException("before is not a valid cursor");
    };
  }

  /** Makes the viewer's text match literally: % and _ are not wildcards to them. */
  static String escapeLike(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
