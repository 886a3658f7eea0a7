package jp.tcportal.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The gateway stays packaged by feature, and its features do not lean on each other in circles. */
class ModularityTests {

  private static final JavaClasses GATEWAY =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("jp.tcportal.gateway");

  @Test
  void featuresHaveNoCycles() {
    slices().matching("jp.tcportal.gateway.(*)..").should().beFreeOfCycles().check(GATEWAY);
  }

  @Test
  void supportingFeaturesDoNotDependOnTheEndpoint() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "..publish..", "..health..", "..secret..", "..ratelimit..", "..error..", "..server..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..gateway.report..")
        .check(GATEWAY);
  }

  @Test
  void hasNoLayerPackages() {
    noClasses()
        .should()
        .resideInAnyPackage("..controller..", "..service..", "..repository..", "..dto..")
        .check(GATEWAY);
  }

  @Test
  void neverTalksToKafkaFromTheEndpointDirectly() {
    noClasses()
        .that()
        .resideInAPackage("..gateway.report..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..", "org.springframework.kafka..")
        .check(GATEWAY);
  }
}
