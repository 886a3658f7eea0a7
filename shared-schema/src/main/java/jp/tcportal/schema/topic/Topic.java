package jp.tcportal.schema.topic;

/**
 * A topic of the catalogue: its name, what its key is, and the type of its values.
 *
 * @param name the Kafka topic name, versioned: a breaking change is a new topic
 * @param key what the record key holds, for readers of the catalogue
 * @param valueType the record value's type, written as JSON without type headers
 */
public record Topic<V>(String name, String key, Class<V> valueType) {}
