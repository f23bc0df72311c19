package dev.herald.job.dispatch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The dispatcher's rules are plain Java; only {@link Dispatcher} touches Flink (STYLE.md 1). */
@AnalyzeClasses(
    packages = "dev.herald.job.dispatch",
    importOptions = ImportOption.DoNotIncludeTests.class)
class DispatchArchitectureTest {

  @ArchTest
  static final ArchRule rulesHaveNoFlink =
      noClasses()
          .that()
          .resideInAPackage("dev.herald.job.dispatch")
          .and()
          .haveNameNotMatching("dev\\.herald\\.job\\.dispatch\\.Dispatcher(\\$.*)?")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.flink..")
          .because("the pacing, pair-rate and tier rules are plain Java over plain values")
          .allowEmptyShould(false);
}
