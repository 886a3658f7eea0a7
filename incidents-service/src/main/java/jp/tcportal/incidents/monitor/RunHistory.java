package jp.tcportal.incidents.monitor;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import jp.tcportal.incidents.paging.Cursors;
import jp.tcportal.incidents.paging.KeysetPage;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A monitor's runs, newest first, paged by the keyset {@code (created_at, id)} so that page 1,000
 * costs what page 1 costs (index {@code idx_task_monitor_runs_history}); {@code id} breaks ties
 * between runs the processor stored in one batch.
 */
@Component
public class RunHistory {

  private final EntityManager entityManager;

  RunHistory(EntityManager entityManager) {
    this.entityManager = entityManager;
  }

  @Transactional(readOnly = true)
  public KeysetPage<TaskMonitorRun> page(UUID monitorId, String before, int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT r.* FROM task_monitor_runs r WHERE r.monitor_id = :monitorId");
    Instant cursorTime = null;
    UUID cursorId = null;
    if (before != null && !before.isBlank()) {
      List<String> parts = Cursors.decode(before, 2);
      cursorTime = Cursors.time(parts.get(0));
      cursorId = Cursors.id(parts.get(1));
      if (cursorTime == null) {
        throw new jp.tcportal.incidents.web.InvalidRequestException("before is not a valid cursor");
      }
      sql.append(" AND (r.created_at, r.id) < (:cursorTime, :cursorId)");
    }
    sql.append(" ORDER BY r.created_at DESC, r.id DESC LIMIT :fetch");
    Query query = entityManager.createNativeQuery(sql.toString(), TaskMonitorRun.class);
    query.setParameter("monitorId", monitorId);
    if (cursorId != null) {
      query.setParameter("cursorTime", cursorTime);
      query.setParameter("cursorId", cursorId);
    }
    query.setParameter("fetch", limit + 1);
    @SuppressWarnings("unchecked")
    List<TaskMonitorRun> rows = query.getResultList();
    return KeysetPage.of(
        rows,
        limit,
        run -> Cursors.encode(Cursors.time(run.getCreatedAt()), run.getId().toString()));
  }
}
