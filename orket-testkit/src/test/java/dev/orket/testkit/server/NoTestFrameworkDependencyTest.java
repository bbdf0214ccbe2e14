package dev.orket.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.testkit.VirtualClock;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The scripted server and sidecar run without JUnit and AssertJ (the CLI demo embeds them). */
class NoTestFrameworkDependencyTest {

    @Test
    @DisplayName("no class of the server, sidecar or internal packages, nor VirtualClock, references JUnit, AssertJ or opentest4j")
    void noTestFrameworkReferences() throws IOException, URISyntaxException {
        Path root = Path.of(VirtualClock.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> classes = new ArrayList<>();
        classes.add(root.resolve("dev/orket/testkit/VirtualClock.class"));
        for (String pkg : List.of("server", "sidecar", "internal")) {
            try (Stream<Path> files = Files.list(root.resolve("dev/orket/testkit/" + pkg))) {
                files.filter(f -> f.toString().endsWith(".class")).forEach(classes::add);
            }
        }
        assertThat(classes).hasSizeGreaterThan(20);
        for (Path file : classes) {
            String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertThat(constants).as(file.getFileName().toString()).doesNotContain("org/junit", "org/assertj",
                    "org/opentest4j");
        }
    }
}
