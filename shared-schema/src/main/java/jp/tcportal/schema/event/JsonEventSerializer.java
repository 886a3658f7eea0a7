package jp.tcportal.schema.event;

import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes an event as JSON with no type headers: the topic says what it carries, so a consumer never
 * needs the producer's Java class name.
 */
public final class JsonEventSerializer<T> implements Serializer<T> {

  @Override
  public byte[] serialize(String topic, T event) {
    return event == null ? null : EventJson.mapper().writeValueAsBytes(event);
  }
}
