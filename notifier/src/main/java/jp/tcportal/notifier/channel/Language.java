package jp.tcportal.notifier.channel;

import java.util.Locale;

/** The language of a channel's messages. */
public enum Language {
  JA,
  EN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Language fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
