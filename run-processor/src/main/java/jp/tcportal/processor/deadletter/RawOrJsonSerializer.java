package jp.tcportal.processor.deadletter;

import java.nio.charset.StandardCharsets;
import jp.tcportal.schema.event.EventJson;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The processor's one producer writes three sorts of values: the original bytes of an unreadable
 * record (dead letters), already-serialised JSON (outbox payloads), and events that were read but
 * refused (written back as the same JSON, without type headers).
 */
public final class RawOrJsonSerializer implements Serializer<Object> {

  @Override
  public byte[] serialize(String topic, Object value) {
    if (value == null || value instanceof byte[]) {
      return (byte[]) value;
    }
    if (value instanceof String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    return EventJson.mapper().writeValueAsBytes(value);
  }
}
