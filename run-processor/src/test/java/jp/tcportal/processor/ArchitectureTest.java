package jp.tcportal.processor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

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
}
