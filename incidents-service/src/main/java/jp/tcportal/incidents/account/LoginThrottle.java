package jp.tcportal.incidents.account;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import jp.tcportal.incidents.IncidentsSettings;
import org.springframework.stereotype.Component;

/**
 * Counts failed logins per user name and per client address within a sliding window. Held in
 * memory, bounded (least recently used keys are forgotten first), per instance: enough to turn an
 * online guessing attack from thousands of tries a minute into a handful per window.
 */
@Component
class LoginThrottle {

  private final IncidentsSettings.Login settings;
  private final Clock clock;
  private final Map<String, Deque<Instant>> failures;

  LoginThrottle(IncidentsSettings settings, Clock clock) {
    this.settings = settings.login();
    this.clock = clock;
    int capacity = this.settings.trackedKeys();
    this.failures =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Whether this name or address has failed too often lately; the password is not checked then. */
  synchronized boolean blocked(String username, String address) {
    return recent(accountKey(username)) >= settings.maxFailuresPerAccount()
        || (address != null && recent(addressKey(address)) >= settings.maxFailuresPerAddress());
  }

  /** Counted whether or not the account exists, so the answer says nothing about which names do. */
  synchronized void failed(String username, String address) {
    Instant now = clock.instant();
    failures.computeIfAbsent(accountKey(username), key -> new ArrayDeque<>()).addLast(now);
    if (address != null) {
      failures.computeIfAbsent(addressKey(address), key -> new ArrayDeque<>()).addLast(now);
    }
  }

  /**
   * A correct password clears the name's count; the address keeps its count (no reset by proxy).
   */
  synchronized void succeeded(String username) {
    failures.remove(accountKey(username));
  }

  private int recent(String key) {
    Deque<Instant> times = failures.get(key);
    if (times == null) {
      return 0;
    }
    Instant oldest = clock.instant().minus(settings.window());
    while (!times.isEmpty() && !times.peekFirst().isAfter(oldest)) {
      times.removeFirst();
    }
    if (times.isEmpty()) {
      failures.remove(key);
      return 0;
    }
    return times.size();
  }

  private static String accountKey(String username) {
    return "user:" + (username == null ? "" : username.strip().toLowerCase(Locale.ROOT));
  }

  private static String addressKey(String address) {
    return "addr:" + address;
  }
}
