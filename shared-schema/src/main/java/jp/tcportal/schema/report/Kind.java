package jp.tcportal.schema.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Optional;

/** What sort of job ran: a Python script or a BAT file (spec section 3.3). */
public enum Kind {
  @JsonProperty("python")
  PYTHON("python"),
  @JsonProperty("bat")
  BAT("bat");

  private final String wireName;

  Kind(String wireName) {
    this.wireName = wireName;
  }

  /** The lower-case name used in JSON and in the database. */
  public String wireName() {
    return wireName;
  }

  public static Optional<Kind> fromWireName(String name) {
    return Arrays.stream(values()).filter(kind -> kind.wireName.equals(name)).findFirst();
  }
}
