package dev.orket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.orket.simulator.server.SimulatedQuantFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("orket select on a demo's summary")
class SelectCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path base;

    static Path summary;

    @BeforeAll
    static void runDemo() {
        Path demo = base.resolve("demo");
        Cli cli = Cli.run("demo", "--out", demo.toString(), "--repetitions", "3");
        assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
        summary = demo.resolve("summary.json");
    }

    @Test
    @DisplayName("--json prints the fastest quant within the budget and floor, its reasons and the runner-up")
    void selects() throws IOException {
        // Peak VRAM: Q5_K_M 1431, Q4_K_M 1320 (baseline 300 + the family's VRAM); quality Q4_K_M 0.9375.
        Cli cli = Cli.run("select", summary.toString(), "--vram-budget-mib", "1500", "--quality-floor", "0.95", "--json");

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Files.readString(Path.of("../docs/specs/model-selection.schema.json")))
                .validate(cli.out(), InputFormat.JSON)).isEmpty();
        JsonNode selection = MAPPER.readTree(cli.out());
        assertThat(selection.get("model").asText()).isEqualTo("tiny-llama");
        assertThat(selection.get("quant_tag").asText()).isEqualTo("Q5_K_M");
        assertThat(selection.get("context").isNull()).as("the demo's sweep does not set a context").isTrue();
        assertThat(selection.get("execution_lane").asText()).isEqualTo("ci");
        assertThat(selection.get("runner_up").isNull()).as("nothing else fits").isTrue();
        assertThat(selection.get("reasons").get(0).asText()).contains("tiny-llama/Q5_K_M meets every constraint");
    }

    @Test
    @DisplayName("agrees with the family's documented expected winner at quality floors 0, 0.90 and 0.95")
    void agreesWithDocumentedWinner() throws IOException {
        SimulatedQuantFamily family = SimulatedQuantFamily.standard();
        for (double floor : new double[] {0.0, 0.90, 0.95}) {
            Cli cli = Cli.run("select", summary.toString(), "--vram-budget-mib", "24576", "--quality-floor",
                    String.valueOf(floor), "--json");

            assertThat(cli.exitCode()).as(cli.err()).isZero();
            assertThat(MAPPER.readTree(cli.out()).get("quant_tag").asText()).as("floor %s", floor)
                    .isEqualTo(family.expectedWinner(floor).tag());
        }
    }

    @Test
    @DisplayName("nothing fits: exit 1, naming what blocked each candidate")
    void nothingFits() {
        Cli cli = Cli.run("select", summary.toString(), "--vram-budget-mib", "1000", "--quality-floor", "0.99");

        assertThat(cli.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(cli.out()).contains("nothing fits (ci/balanced)")
                .contains("tiny-llama/Q2_K: quality 0.5000 < floor 0.9900; peak VRAM 1053 MiB > budget 1000 MiB")
                .contains("tiny-llama/F16: peak VRAM 2783 MiB > budget 1000 MiB");
    }

    @Test
    @DisplayName("a context the demo cannot show blocks every candidate as context_unknown")
    void contextUnknown() {
        Cli cli = Cli.run("select", summary.toString(), "--vram-budget-mib", "5000", "--quality-floor", "0.5",
                "--context", "4096");

        assertThat(cli.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(cli.out()).contains("tiny-llama/Q4_K_M: context_unknown");
    }
}
