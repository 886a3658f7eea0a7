package jp.tcportal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import jp.tcportal.testsupport.ServiceProcess;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Whichever service starts first creates the topics both declare, so the gateway and the processor
 * must declare them identically. The declarations are taken from the packaged jars themselves: each
 * service's topic configuration class runs in a small context with the same {@code
 * tcportal.topics.*} settings.
 */
class TopicDeclarationsIT {

  private static final Map<String, Object> PRODUCTION_SETTINGS =
      Map.of(
          "tcportal.topics.partitions", "12",
          "tcportal.topics.replication-factor", "3",
          "tcportal.topics.min-insync-replicas", "2");

  @Test
  void gatewayAndProcessorDeclareEveryTopicTheyShareIdentically() throws Exception {
    Map<String, NewTopic> gateway =
        declarations("ingest-gateway", "jp.tcportal.gateway.publish.TopicDeclarations");
    Map<String, NewTopic> processor =
        declarations("run-processor", "jp.tcportal.processor.TopicDeclarations");

    Set<String> shared = new TreeSet<>(gateway.keySet());
    shared.retainAll(processor.keySet());
    assertThat(shared).contains("tcportal.run-reported.v1");
    for (String topic : shared) {
      // NewTopic's equals compares name, partitions, replication and configs.
      assertThat(gateway.get(topic)).as(topic).isEqualTo(processor.get(topic));
    }
  }

  /** The topics a packaged service declares, by name, with {@link #PRODUCTION_SETTINGS}. */
  private static Map<String, NewTopic> declarations(String module, String configurationClass)
      throws Exception {
    Path jar = ServiceProcess.moduleJar(module);
    assertThat(jar).as("package " + module + " first").isRegularFile();
    // The service's own classes from the executable jar; Spring, Kafka and the catalogue come
    // from this test's class path, so both services see the same catalogue classes.
    try (URLClassLoader classes =
            new URLClassLoader(
                new URL[] {URI.create("jar:" + jar.toUri() + "!/BOOT-INF/classes/").toURL()},
                TopicDeclarationsIT.class.getClassLoader());
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
      context.setClassLoader(classes);
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(new MapPropertySource("settings", PRODUCTION_SETTINGS));
      context.register(classes.loadClass(configurationClass));
      context.refresh();
      Map<String, NewTopic> byName = new TreeMap<>();
      context.getBeansOfType(NewTopic.class).values().forEach(t -> byName.put(t.name(), t));
      return byName;
    }
  }
}
