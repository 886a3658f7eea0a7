package jp.tcportal.notifier;

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
          .importPackages("jp.tcportal.notifier");

  @Test
  void featuresAreFreeOfCycles() {
    slices().matching("jp.tcportal.notifier.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void messagesArePureFunctionsWithoutKafkaDatabaseOrHttp() {
    noClasses()
        .that()
        .resideInAnyPackage("..notifier.message..")
        .or()
        .haveSimpleNameEndingWith("Message")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..", "org.springframework..", "java.net.http..", "java.sql..")
        .check(CLASSES);
  }

  @Test
  void onlyTheDeliveryFeatureConsumesEventsAndTouchesTheLedger() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..notifier.delivery..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.springframework.kafka.annotation.KafkaListener")
        .check(CLASSES);
  }
}
