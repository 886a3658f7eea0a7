package jp.tcportal.notifier;

import java.net.http.HttpClient;
import jp.tcportal.notifier.channel.TargetRules;
import jp.tcportal.schema.secret.ChannelCrypto;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** The shared pieces: the key that opens channel secrets, the target rules, one HTTP client. */
@Configuration(proxyBeanMethods = false)
class NotifierConfiguration {

  /** Fails the start-up when the key is missing or malformed: without it no channel can be read. */
  @Bean
  ChannelCrypto channelCrypto(NotifierSettings settings) {
    return ChannelCrypto.fromBase64Key(settings.encryptionKey());
  }

  @Bean
  TargetRules targetRules(NotifierSettings settings) {
    return new TargetRules(settings.allowInsecureTargets());
  }

  /** Redirects are not followed: a redirect could lead a send to a private address. */
  @Bean
  HttpClient notifierHttpClient(NotifierSettings settings) {
    return HttpClient.newBuilder()
        .connectTimeout(settings.sendTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Bean
  NewTopic notifierDeadLetterTopic(TopicSettings settings) {
    return TopicBuilder.name(Topics.MONITOR_STATUS_CHANGED_NOTIFIER_DEAD_LETTER.name())
        .partitions(settings.partitions())
        .replicas(settings.replicationFactor())
        .build();
  }
}
