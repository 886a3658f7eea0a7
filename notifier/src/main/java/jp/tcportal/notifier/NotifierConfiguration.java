package jp.tcportal.notifier;

import java.net.http.HttpClient;
import jp.tcportal.notifier.channel.TargetRules;
import jp.tcportal.schema.secret.ChannelCrypto;
import jp.tcportal.schema.topic.TopicSettings;
import jp.tcportal.schema.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

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

  /** {@code tcportal.topics.*}, with the defaults the catalogue defines. */
  @Bean
  TopicSettings topicSettings(Environment environment) {
    Binder binder = Binder.get(environment);
    return TopicSettings.from(key -> binder.bind(key, String.class).orElse(null));
  }

  /** The catalogue's declaration, as the gateway and the processor declare theirs. */
  @Bean
  NewTopic notifierDeadLetterTopic(TopicSettings settings) {
    return Topics.MONITOR_STATUS_CHANGED_NOTIFIER_DEAD_LETTER.declaration(settings);
  }
}
