package jp.tcportal.schema.topic;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A topic of the catalogue: its name, what its key is, the type of its values, and the topic
 * configs that belong to the topic itself rather than to a deployment.
 *
 * @param name the Kafka topic name, versioned: a breaking change is a new topic
 * @param key what the record key holds, for readers of the catalogue
 * @param valueType the record value's type, written as JSON without type headers
 * @param configs Kafka topic configs fixed by the catalogue (for example {@code
 *     max.message.bytes}); empty means the broker's defaults
 */
public record Topic<V>(String name, String key, Class<V> valueType, Map<String, String> configs) {

  public Topic {
    configs = Map.copyOf(configs);
  }

  /**
   * The topic as every service declares it: partitions, replication and {@code min.insync.replicas}
   * from the deployment's settings, the rest from the catalogue. Services declare topics only
   * through this, so whichever starts first creates the same topic.
   */
  public NewTopic declaration(TopicSettings settings) {
    Map<String, String> all = new TreeMap<>(configs);
    all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(settings.minInsyncReplicas()));
    return new NewTopic(name, settings.partitions(), settings.replicationFactor()).configs(all);
  }
}
