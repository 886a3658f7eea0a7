package jp.tcportal.processor.deadletter;

import java.util.Base64;
import jp.tcportal.schema.event.EventJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ArrayNode;

/**
 * The last resort for a refused record that the dead-letter topic would not take either: its bytes,
 * headers and reasons go to {@code tcportal_parked_records}, so the partition moves on and nothing
 * is lost. {@code docs/runbook.md} says how to list and replay them.
 */
@Component
class ParkedRecords {

  private static final String PARK =
      """
      INSERT INTO tcportal_parked_records (topic, kafka_partition, kafka_offset, record_key,
                                           record_value, headers, reason, detail,
                                           dead_letter_error)
      VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
      ON CONFLICT (topic, kafka_partition, kafka_offset) DO NOTHING
      """;

  private final JdbcTemplate jdbc;

  ParkedRecords(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Parks the record once (a redelivered batch finds its position taken); throws on an outage. */
  void park(ConsumerRecord<?, ?> record, RecordRejectedException rejection, Exception sendFailure) {
    jdbc.update(
        PARK,
        record.topic(),
        record.partition(),
        record.offset(),
        record.key() == null ? null : text(String.valueOf(record.key())),
        originalBytes(record, rejection),
        headers(record),
        rejection.reason().name(),
        text(rejection.getMessage()),
        text(String.valueOf(sendFailure) + causeOf(sendFailure)));
  }

  /**
   * The bytes as they were on the topic: an unreadable value only survives inside the
   * deserializer's exception; a value that was read is written back as the same JSON, as the
   * dead-letter topic would have received it.
   */
  private static byte[] originalBytes(ConsumerRecord<?, ?> record, Throwable rejection) {
    for (Throwable t = rejection; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DeserializationException unreadable) {
        return unreadable.getData();
      }
    }
    Object value = record.value();
    if (value == null || value instanceof byte[]) {
      return (byte[]) value;
    }
    return EventJson.mapper().writeValueAsBytes(value);
  }

  /** The producer's headers; the deserializer's own exception headers are Java serial blobs. */
  private static String headers(ConsumerRecord<?, ?> record) {
    ArrayNode headers = EventJson.mapper().createArrayNode();
    for (Header header : record.headers()) {
      if (header.key().equals(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER)
          || header.key().equals(SerializationUtils.KEY_DESERIALIZER_EXCEPTION_HEADER)) {
        continue;
      }
      headers
          .addObject()
          .put("name", header.key())
          .put(
              "value_base64",
              header.value() == null ? null : Base64.getEncoder().encodeToString(header.value()));
    }
    return EventJson.mapper().writeValueAsString(headers);
  }

  private static String causeOf(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == failure ? "" : " (cause: " + root + ")";
  }

  /** PostgreSQL's text cannot hold U+0000. */
  private static String text(String value) {
    return value == null ? null : value.replace("\u0000", "");
  }
}
