package jp.tcportal.schema.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Optional;

/** How a run ended (spec section 3.3). */
public enum RunStatus {
  @JsonProperty("success")
  SUCCESS("success"),
  @JsonProperty("failed")
  FAILED("failed");

  private final String wireName;

  RunStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The lower-case name used in JSON and in the database. */
  public String wireName() {
    return wireName;
  }

  public static Optional<RunStatus> fromWireName(String name) {
    return Arrays.stream(values()).filter(status -> status.wireName.equals(name)).findFirst();
  }
}
