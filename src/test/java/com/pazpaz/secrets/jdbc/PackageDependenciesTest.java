package com.pazpaz.secrets.jdbc;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependencies between the driver's packages run one way: API to internal, rotation to internal,
 * cli to rotation and internal. The driver core never names the operator tools, so an application
 * that only connects loads none of them.
 */
class PackageDependenciesTest {

  private static final String BASE = "com.pazpaz.secrets.jdbc";
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);
  }

  @Test
  void internalNamesNoToolAndOnlyTheContractTypesOfTheApi() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".internal..")
        .should()
        .dependOnClassesThat(
            resideInAnyPackage(
                    BASE + ".rotation..",
                    BASE + ".cli..",
                    BASE + ".flyway..",
                    BASE + ".liquibase..",
                    BASE + ".spring..",
                    BASE + ".micrometer..")
                .or(
                    resideInAnyPackage(BASE)
                        .and(not(belongToAnyOf(ConfigKey.class, SecretMXBean.class)))))
        .check(classes);
  }

  /**
   * Spring and Micrometer are optional: only their own packages name them, so the driver loads and
   * connects where neither is on the class path.
   */
  @Test
  void onlyTheIntegrationPackagesNameSpringOrMicrometer() {
    noClasses()
        .that()
        .resideOutsideOfPackages(BASE + ".spring..", BASE + ".micrometer..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "io.micrometer..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage(BASE + ".micrometer..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", BASE + ".spring..")
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackages(BASE + ".spring..", BASE + ".micrometer..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(BASE + ".spring..", BASE + ".micrometer..")
        .check(classes);
  }

  @Test
  void rotationEngineDoesNotUseTheCommandLine() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".rotation..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(BASE + ".cli..", BASE + ".flyway..", BASE + ".liquibase..")
        .check(classes);
  }

  @Test
  void driverAndDataSourceDoNotNameTheTools() {
    noClasses()
        .that()
        .resideInAPackage(BASE)
        .and(not(belongToAnyOf(RotationLambdaHandler.class, CommandLineTool.class)))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(BASE + ".rotation..", BASE + ".cli..")
        .check(classes);
  }

  @Test
  void commandLineIsUsedByNothingElse() {
    noClasses()
        .that()
        .resideOutsideOfPackage(BASE + ".cli..")
        .and(not(belongToAnyOf(CommandLineTool.class)))
        .should()
        .dependOnClassesThat()
        .resideInAPackage(BASE + ".cli..")
        .check(classes);
  }
}
