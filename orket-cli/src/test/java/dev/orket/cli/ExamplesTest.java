package dev.orket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Shipped example configs")
class ExamplesTest {

    static Stream<Path> examples() throws IOException {
        return Files.list(Path.of("..", "examples")).filter(p -> p.toString().endsWith(".json")).sorted();
    }

    @ParameterizedTest
    @MethodSource("examples")
    @DisplayName("validate against docs/specs/sweep-config.schema.json and resolve in a dry run")
    void validAndResolvable(Path example) throws IOException {
        try (InputStream schema = Files.newInputStream(Path.of("..", "docs", "specs", "sweep-config.schema.json"))) {
            assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema)
                    .validate(new ObjectMapper().readTree(example.toFile()))).isEmpty();
        }

        Cli cli = Cli.run("sweep", example.toString(), "--dry-run");

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("dry run: nothing is touched").contains("(baseline)");
    }
}
