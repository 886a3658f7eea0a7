package jp.tcportal.schema.event;

import org.apache.kafka.common.serialization.Deserializer;

/** Reads the JSON of one event type; pair it with the topic that carries that type. */
public class JsonEventDeserializer<T> implements Deserializer<T> {

  private final Class<T> type;

  public JsonEventDeserializer(Class<T> type) {
    this.type = type;
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return data == null ? null : EventJson.mapper().readValue(data, type);
  }

  /** For configuration by class name ({@code value.deserializer}). */
  public static final class RunReportedDeserializer extends JsonEventDeserializer<RunReported> {
    public RunReportedDeserializer() {
      super(RunReported.class);
    }
  }

  /** For configuration by class name ({@code value.deserializer}). */
  public static final class MonitorStatusChangedDeserializer
      extends JsonEventDeserializer<MonitorStatusChanged> {
    public MonitorStatusChangedDeserializer() {
      super(MonitorStatusChanged.class);
    }
  }
}
