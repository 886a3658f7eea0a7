package jp.tcportal.notifier.delivery;

import java.time.Instant;
import java.util.UUID;
import jp.tcportal.notifier.message.NoticeKind;

/** A ledger row a worker claimed; {@code attempts} already counts the attempt being made. */
record ClaimedDelivery(
    long id,
    UUID eventId,
    UUID channelId,
    UUID monitorId,
    String eventJson,
    NoticeKind notice,
    Instant incidentOpenedAt,
    int attempts,
    Instant createdAt) {}
