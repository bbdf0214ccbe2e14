package dev.orket.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.simulator.VirtualClock;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The simulator runs without JUnit and AssertJ (the CLI demo embeds it). */
class NoTestFrameworkDependencyTest {

    @Test
    @DisplayName("no class of orket-simulator references JUnit, AssertJ, opentest4j or the testkit")
    void noTestFrameworkReferences() throws IOException, URISyntaxException {
        Path root = Path.of(VirtualClock.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> classes;
        try (Stream<Path> files = Files.walk(root.resolve("dev/orket/simulator"))) {
            classes = files.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList());
        }
        assertThat(classes).hasSizeGreaterThan(40);
        for (Path file : classes) {
            String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertThat(constants).as(root.relativize(file).toString()).doesNotContain("org/junit", "org/assertj",
                    "org/opentest4j", "dev/orket/testkit");
        }
    }
}
