package jp.tcportal.gateway.publish;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the run-reported topic is declared when the gateway finds it missing. The defaults suit a
 * single development broker; production sets a replication factor of 3 and 2 in-sync replicas, so
 * an acknowledged report survives the loss of one broker.
 */
@ConfigurationProperties("tcportal.topics")
record TopicSettings(
    @DefaultValue("6") int partitions,
    @DefaultValue("1") short replicationFactor,
    @DefaultValue("1") int minInsyncReplicas) {}
