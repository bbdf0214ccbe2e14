package dev.orket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.orket.simulator.server.QuantProfile;
import dev.orket.simulator.server.SimulatedQuantFamily;
import dev.orket.simulator.sidecar.ScriptedSidecar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orket demo} then {@code orket analyze vram} on its output: the scripted sidecar's documented
 * fragmentation pattern ({@code docs/simulated-quant-family.md}) is found, exactly, end to end.
 */
@DisplayName("orket analyze vram on a demo")
class AnalyzeVramCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SimulatedQuantFamily FAMILY = SimulatedQuantFamily.standard();

    @TempDir
    static Path base;

    static Path demo;

    @BeforeAll
    static void runDemo() {
        demo = base.resolve("demo");
        Cli cli = Cli.run("demo", "--out", demo.toString(), "--repetitions", "3");
        assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
    }

    @Test
    @DisplayName("explains every cell: weights and KV from the family, baseline 300 MiB, the margin unexplained")
    void explainsEveryCell() throws IOException {
        Cli cli = Cli.run("analyze", "vram", demo.toString(), "--json");

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Files.readString(Path.of("../docs/specs/vram-analysis.schema.json")))
                .validate(cli.out(), InputFormat.JSON)).isEmpty();
        JsonNode analysis = MAPPER.readTree(cli.out());
        assertThat(analysis.get("execution_lane").asText()).isEqualTo("ci");
        assertThat(analysis.get("vram_profile").asText()).isEqualTo("balanced");
        assertThat(analysis.get("informational").asBoolean()).isTrue();
        JsonNode cells = analysis.get("cells");
        assertThat(cells).hasSize(7);
        for (JsonNode cell : cells) {
            QuantProfile quant = FAMILY.quantByTag(cell.get("quant_tag").asText());
            // F16, the first cell, also ran the 3 canary runs; every cell ran 1 warm-up and 2 sessions x 3.
            int runs = 1 + 2 * 3 + (quant.tag().equals("F16") ? 3 : 0);
            boolean fragments = quant.bitsPerWeight() < ScriptedSidecar.FRAGMENTATION_BITS_PER_WEIGHT;
            long growth = fragments ? ScriptedSidecar.FRAGMENTATION_GROWTH_MIB : 0;
            long peak = 300 + quant.vramMib() + (runs - 1) * growth;
            String tag = quant.tag();
            assertThat(cell.get("runs").asInt()).as(tag).isEqualTo(runs);
            assertThat(cell.get("context").asInt()).as(tag).isEqualTo(SimulatedQuantFamily.CONTEXT_SIZE);
            assertThat(cell.get("weights_mib").asLong()).as(tag).isEqualTo(quant.weightsMib());
            assertThat(cell.get("kv_cache_mib").asLong()).as(tag).isEqualTo(SimulatedQuantFamily.KV_CACHE_MIB);
            assertThat(cell.get("baseline_mib").asLong()).as(tag).isEqualTo(ScriptedSidecar.FRAGMENTATION_BASELINE_MIB);
            assertThat(cell.get("measured_peak_mib").asLong()).as(tag).isEqualTo(peak);
            long unexplained = SimulatedQuantFamily.MARGIN_MIB + (runs - 1) * growth;
            assertThat(cell.get("unexplained_mib").asLong()).as(tag).isEqualTo(unexplained);
            assertThat(cell.get("unexplained_share").asDouble()).as(tag)
                    .isEqualTo((double) unexplained / (peak - 300));
            assertThat(cell.get("post_run_slope_mib_per_run").asDouble()).as(tag).isEqualTo((double) growth);
            List<String> expected = new ArrayList<>();
            if ((double) unexplained / (peak - 300) > 0.30) {
                expected.add("high_unexplained_vram");
            }
            if (fragments) {
                expected.add("vram_growth_over_runs");
            }
            List<String> flags = new ArrayList<>();
            cell.get("flags").forEach(f -> flags.add(f.asText()));
            assertThat(flags).as(tag).isEqualTo(expected);
        }
        assertThat(flagsOf(cells, "Q2_K")).contains("vram_growth_over_runs", "high_unexplained_vram");
        assertThat(flagsOf(cells, "Q5_K_M")).isEmpty();
    }

    @Test
    @DisplayName("the report carries the VRAM section with its plot; the text view names the flags")
    void reportAndText() throws IOException {
        String report = Files.readString(demo.resolve("report.html"));
        assertThat(report).contains("VRAM analysis (informational, never a gate)")
                .contains("class=\"vram-cell\" data-quant=\"Q2_K\"").contains("<rect");

        Cli cli = Cli.run("analyze", "vram", demo.toString());

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("tiny-llama Q2_K @2048").contains("vram_growth_over_runs");
    }

    @Test
    @DisplayName("a directory that is not a sweep is a configuration error naming the manifest")
    void notASweep() {
        Cli cli = Cli.run("analyze", "vram", base.resolve("nothing").toString());

        assertThat(cli.exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(cli.err()).contains("No sweep manifest at").contains("sweep_manifest.json");
    }

    private static List<String> flagsOf(JsonNode cells, String tag) {
        List<String> flags = new ArrayList<>();
        for (JsonNode cell : cells) {
            if (cell.get("quant_tag").asText().equals(tag)) {
                cell.get("flags").forEach(f -> flags.add(f.asText()));
            }
        }
        return flags;
    }
}
