package dev.orket.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The arrows point one way (docs and DESIGN section 2): the API depends on nothing, the core never imports a
 * provider, a sidecar, the simulator, the testkit or the CLI, and providers never import each other; the simulator
 * runs without JUnit and AssertJ and the CLI runs on the simulator, never on the testkit. Checked here because the
 * CLI's class path (with the testkit its tests use) holds every module.
 */
@DisplayName("Module boundaries")
class ArchitectureTest {

    private static JavaClasses orket;

    @BeforeAll
    static void importClasses() {
        orket = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.orket");
    }

    @Test
    @DisplayName("orket-api depends only on the JDK and JSpecify annotations")
    void apiDependsOnNothing() {
        classes().that().resideInAPackage("dev.orket.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.orket.api..", "java..", "org.jspecify..")
                .check(orket);
    }

    @Test
    @DisplayName("orket-core never imports a provider, a sidecar, the simulator, the testkit or the CLI")
    void coreImportsNoProvider() {
        noClasses().that().resideInAPackage("dev.orket.core..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.orket.provider..", "dev.orket.sidecar..",
                        "dev.orket.simulator..", "dev.orket.testkit..", "dev.orket.cli..")
                .check(orket);
    }

    @Test
    @DisplayName("providers, sidecars and exporters never import each other, the simulator, the testkit or the CLI")
    void providersAreIndependent() {
        noClasses().that().resideInAPackage("dev.orket.provider.llamacpp..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.orket.provider.ollama..",
                        "dev.orket.provider.openai..", "dev.orket.sidecar..", "dev.orket.simulator..",
                        "dev.orket.testkit..", "dev.orket.cli..")
                .check(orket);
        noClasses().that().resideInAPackage("dev.orket.provider.ollama..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.orket.provider.llamacpp..",
                        "dev.orket.provider.openai..", "dev.orket.sidecar..", "dev.orket.simulator..",
                        "dev.orket.testkit..", "dev.orket.cli..")
                .check(orket);
        noClasses().that().resideInAPackage("dev.orket.provider.openai..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.orket.provider.llamacpp..",
                        "dev.orket.provider.ollama..", "dev.orket.sidecar..", "dev.orket.simulator..",
                        "dev.orket.testkit..", "dev.orket.cli..")
                .check(orket);
        noClasses().that().resideInAPackage("dev.orket.sidecar..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.orket.provider..", "dev.orket.simulator..",
                        "dev.orket.testkit..", "dev.orket.cli..")
                .check(orket);
        noClasses().that().resideInAPackage("dev.orket.exporter..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.orket.provider..", "dev.orket.sidecar..",
                        "dev.orket.simulator..", "dev.orket.testkit..", "dev.orket.cli..")
                .check(orket);
    }

    @Test
    @DisplayName("orket-simulator needs no test framework: never JUnit, AssertJ, opentest4j or the testkit")
    void simulatorWithoutTestFramework() {
        noClasses().that().resideInAPackage("dev.orket.simulator..")
                .should().dependOnClassesThat().resideInAnyPackage("org.junit..", "org.assertj..", "org.opentest4j..",
                        "dev.orket.testkit..")
                .check(orket);
    }

    @Test
    @DisplayName("the simulator and the testkit never import a provider, a sidecar module or the CLI")
    void simulatorAndTestkitAreProviderAgnostic() {
        noClasses().that().resideInAnyPackage("dev.orket.simulator..", "dev.orket.testkit..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.orket.provider..", "dev.orket.sidecar..",
                        "dev.orket.cli..")
                .check(orket);
    }

    @Test
    @DisplayName("the CLI runs on the simulator, never on the testkit (no JUnit or AssertJ in the product)")
    void cliWithoutTestkit() {
        noClasses().that().resideInAPackage("dev.orket.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.orket.testkit..", "org.junit..",
                        "org.assertj..")
                .check(orket);
        classes().that().haveFullyQualifiedName("dev.orket.cli.DemoCommand")
                .should().dependOnClassesThat().resideInAPackage("dev.orket.simulator..")
                .check(orket);
    }

    @Test
    @DisplayName("the simulator's internal package is used by the simulator and the testkit only")
    void simulatorInternalStaysInside() {
        classes().that().resideInAPackage("dev.orket.simulator.internal..")
                .should().onlyHaveDependentClassesThat().resideInAnyPackage("dev.orket.simulator..",
                        "dev.orket.testkit..")
                .check(orket);
    }

    @Test
    @DisplayName("no util, helper, common or misc packages")
    void noGrabBagPackages() {
        noClasses().should().resideInAnyPackage("..util..", "..helper..", "..common..", "..misc..").check(orket);
    }
}
