package jp.tcportal.incidents.incident;

import java.util.Set;
import jp.tcportal.incidents.web.InvalidRequestException;

/**
 * What the viewer narrowed the list to. Blank values mean "any".
 *
 * @param status {@code failed} or {@code success}
 * @param kind {@code python} or {@code bat}
 * @param machine the start of a machine name (case-insensitive)
 * @param q words in the task key or task name (case-insensitive)
 */
public record IncidentFilter(String status, String kind, String machine, String q) {

  static final Set<String> STATUSES = Set.of("failed", "success");
  static final Set<String> KINDS = Set.of("python", "bat");

  public IncidentFilter {
    status = blankToNull(status);
    kind = blankToNull(kind);
    machine = blankToNull(machine);
    q = blankToNull(q);
    if (status != null && !STATUSES.contains(status)) {
      throw new InvalidRequestException("status must be one of failed, success");
    }
    if (kind != null && !KINDS.contains(kind)) {
      throw new InvalidRequestException("kind must be one of python, bat");
    }
    if (machine != null && machine.length() > 200 || q != null && q.length() > 200) {
      throw new InvalidRequestException("machine and q must be at most 200 characters");
    }
  }

  public static IncidentFilter none() {
    return new IncidentFilter(null, null, null, null);
  }

  public boolean isEmpty() {
    return status == null && kind == null && machine == null && q == null;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
