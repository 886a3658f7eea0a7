package jp.tcportal.processor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jp.tcportal.schema.topic.Topic;
import jp.tcportal.schema.topic.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.annotation.KafkaListener;

/** Packages are features, and the features depend on each other in one direction only. */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("jp.tcportal.processor");

  @Test
  void featuresAreFreeOfCycles() {
    slices().matching("jp.tcportal.processor.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void packagesAreFeaturesNotLayers() {
    noClasses()
        .should()
        .resideInAnyPackage("..controller..", "..service..", "..repository..", "..dao..")
        .check(CLASSES);
  }

  @Test
  void theStateRulesKnowNothingOfKafkaOrTheOtherFeatures() {
    noClasses()
        .that()
        .resideInAPackage("..processor.monitor..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..",
            "org.springframework.kafka..",
            "..processor.ingest..",
            "..processor.outbox..",
            "..processor.deadletter..")
        .check(CLASSES);
  }

  @Test
  void onlyTheIngestFeatureConsumesRunReports() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..processor.ingest..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.springframework.kafka.annotation.KafkaListener")
        .check(CLASSES);
  }

  @Test
  void listenersNameTheirTopicsByTheCataloguesConstants() {
    Set<String> catalogue =
        Topics.ALL.stream().map(Topic::name).collect(Collectors.toUnmodifiableSet());
    List<String> topics =
        CLASSES.stream()
            .flatMap(type -> type.getMethods().stream())
            .filter(method -> method.isAnnotatedWith(KafkaListener.class))
            .flatMap(
                method -> Arrays.stream(method.getAnnotationOfType(KafkaListener.class).topics()))
            .toList();

    // A constant, not an expression such as #{...} or ${...}: the name is checked at compile time.
    assertThat(topics).isNotEmpty().allSatisfy(topic -> assertThat(catalogue).contains(topic));
  }
}
