package jp.tcportal.notifier.channel;

import java.util.Locale;

/** Where a channel sends; the lower-case name is the stored and API value. */
public enum ChannelType {
  SLACK,
  TEAMS,
  WEBHOOK,
  EMAIL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ChannelType fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
