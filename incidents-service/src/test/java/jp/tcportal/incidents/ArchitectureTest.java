package jp.tcportal.incidents;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

/** Package by feature: no layer packages, controllers stay inside their feature. */
class ArchitectureTest {

  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("jp.tcportal.incidents");

  @Test
  void hasNoLayerPackages() {
    noClasses()
        .should()
        .resideInAnyPackage("..controller..", "..service..", "..repository..", "..dto..")
        .check(CLASSES);
  }

  @Test
  void controllersArePackagePrivate() {
    classes()
        .that()
        .areAnnotatedWith(Controller.class)
        .or()
        .areAnnotatedWith(RestController.class)
        .should()
        .notHaveModifier(JavaModifier.PUBLIC)
        .check(CLASSES);
  }

  @Test
  void onlyTheAccountFeatureKnowsHowPeopleSignIn() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..account..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.security.oauth2..")
        .check(CLASSES);
  }
}
