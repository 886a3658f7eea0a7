package jp.tcportal.notifier.send;

import jp.tcportal.notifier.message.Notice;

/**
 * One delivery to send: what it says and the event's JSON exactly as recorded (the body of a
 * webhook, and what its signature covers).
 */
public record Outbound(Notice notice, String eventJson) {}
