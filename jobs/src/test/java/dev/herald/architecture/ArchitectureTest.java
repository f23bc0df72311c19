package dev.herald.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The policy core is plain Java: no Flink (nor any other runtime) in the rules, the state they
 * read, or the Flink-free engines that drive them. Flink operators only load state, call the core,
 * store state and emit.
 */
@AnalyzeClasses(packages = "dev.herald", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule policyCoreHasNoFlink =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.herald.policy..",
              "dev.herald.state..",
              "dev.herald.schema..",
              "dev.herald.reference..",
              "dev.herald.replay..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
          .because("the delivery rules are pure functions over plain values (STYLE.md 1)");

  @ArchTest
  static final ArchRule policyCoreReadsNoClock =
      noClasses()
          .that()
          .resideInAnyPackage("dev.herald.policy..")
          .should()
          .callMethod(java.time.Instant.class, "now")
          .orShould()
          .callMethod(System.class, "currentTimeMillis")
          .because("decisions are made in event time: the instant is passed in");
}
