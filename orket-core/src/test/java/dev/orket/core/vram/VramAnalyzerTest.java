package dev.orket.core.vram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.ConfigurationException;
import dev.orket.api.ExecutionLane;
import dev.orket.api.VramProfile;
import dev.orket.core.artifact.ArtifactFormatException;
import dev.orket.core.kpi.TestRuns;
import dev.orket.core.sweep.LedgerEntry;
import dev.orket.core.sweep.RunLedger;
import dev.orket.core.sweep.SweepArtifacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("VramAnalyzer")
class VramAnalyzerTest {

    @TempDir
    Path dir;

    /** A sweep of one cell (model "tiny", Q4_K_M, context 4096 from TestRuns) whose runs saw these VRAM series. */
    private void sweep(long[]... seriesPerRun) throws IOException {
        Files.writeString(dir.resolve("sweep_manifest.json"),
                "{\"sweep_id\":\"s\",\"execution_lane\":\"lab\",\"vram_profile\":\"balanced\"}");
        StringBuilder ledger = new StringBuilder();
        for (int r = 0; r < seriesPerRun.length; r++) {
            String runId = "cell/run-" + r;
            ledger.append(RunLedger.toJson(new LedgerEntry(TestRuns.run(runId).build(), "", null, "", ""))).append('\n');
            StringBuilder samples = new StringBuilder();
            for (int i = 0; i < seriesPerRun[r].length; i++) {
                samples.append("{\"run_id\":\"").append(runId).append("\",\"offset_ms\":").append(i * 100)
                        .append(",\"gpu_index\":0,\"vram_used_mib\":").append(seriesPerRun[r][i]).append("}\n");
                // A second GPU that is not measured: its samples must be ignored.
                samples.append("{\"offset_ms\":").append(i * 100).append(",\"gpu_index\":1,\"vram_used_mib\":70000}\n");
            }
            Path file = SweepArtifacts.sidecarSamplesFile(dir, runId);
            Files.createDirectories(file.getParent());
            Files.writeString(file, samples);
        }
        Files.writeString(dir.resolve("runs.jsonl"), ledger);
    }

    private static ModelFacts facts(long weights) {
        // 4096 tokens × 8 layers × 4 KV heads × (64 + 64) × 2 bytes = 32 MiB of KV cache.
        return new ModelFacts("tiny", "Q4_K_M", weights, 8L, 4L, 64L, 64L, 2.0, null, "test");
    }

    @Test
    @DisplayName("explains peak = baseline + weights + KV + unexplained, and measures a leak as a slope")
    void explainsAndMeasuresSlope() throws IOException {
        sweep(new long[] {500, 1000, 1600}, new long[] {1600, 1610}, new long[] {1620}, new long[] {1630},
                new long[] {1640});

        VramCell cell = VramAnalyzer.withFacts(List.of(facts(1000))).analyze(dir).cells().get(0);

        assertThat(cell.context()).isEqualTo(4096);
        assertThat(cell.contextSource()).isEqualTo(VramCell.ContextSource.SERVER_REPORTED);
        assertThat(cell.breakdown()).isEqualTo(new VramCell.Breakdown(1000L, 32L, 500L, 1640L, 108L, 108.0 / 1140,
                "test"));
        assertThat(cell.trend().postRunMib()).containsExactly(1600L, 1610L, 1620L, 1630L, 1640L);
        assertThat(cell.trend().slopeMibPerRun()).isEqualTo(10.0);
        assertThat(cell.flags()).containsExactly(VramFlag.VRAM_GROWTH_OVER_RUNS);
        assertThat(cell.unavailableReasons()).isEmpty();
    }

    @Test
    @DisplayName("a model already resident at the first sample leaves the baseline, and what depends on it, absent")
    void residentModel() throws IOException {
        sweep(new long[] {1600, 1600}, new long[] {1600});

        VramCell cell = VramAnalyzer.withFacts(List.of(facts(1000))).analyze(dir).cells().get(0);

        assertThat(cell.breakdown().baselineMib()).isNull();
        assertThat(cell.breakdown().unexplainedMib()).isNull();
        assertThat(cell.unavailableReasons())
                .containsEntry("baseline_mib", VramUnavailableReason.MODEL_RESIDENT_AT_FIRST_SAMPLE)
                .containsEntry("unexplained_mib", VramUnavailableReason.DEPENDS_ON_ABSENT_FIGURE)
                .containsEntry("post_run_slope_mib_per_run", VramUnavailableReason.TOO_FEW_RUNS);
        assertThat(cell.flags()).isEmpty();
    }

    @Test
    @DisplayName("a high unexplained share is flagged at the documented threshold, and JSON carries lane and profile")
    void highUnexplained() throws IOException {
        sweep(new long[] {0, 2000});

        VramAnalysis analysis = VramAnalyzer.withFacts(List.of(facts(1000))).analyze(dir);

        VramCell cell = analysis.cells().get(0);
        assertThat(cell.breakdown().unexplainedShare()).isEqualTo(968.0 / 2000);
        assertThat(cell.flags()).containsExactly(VramFlag.HIGH_UNEXPLAINED_VRAM);
        String json = VramAnalysisJson.toJson(analysis);
        assertThat(json).contains("\"execution_lane\" : \"lab\"").contains("\"vram_profile\" : \"balanced\"")
                .contains("\"unexplained_mib\" : 968").contains("\"flags\" : [ \"high_unexplained_vram\" ]");
    }

    @Test
    @DisplayName("GGUF headers give weights and KV shape, matched by quant tag")
    void ggufFacts() throws IOException {
        sweep(new long[] {100, 200});
        List<ModelFacts> facts = VramAnalyzer.factsFromGgufDir(Path.of("src/test/resources/gguf"));
        assertThat(facts).hasSize(13);
        ModelFacts q4 = facts.stream().filter(f -> f.quantTag().equals("Q4_K_M")).findFirst().orElseThrow();
        assertThat(q4.model()).isNull();
        assertThat(q4.source()).isEqualTo("gguf_header:tiny-random-llama-Q4_K_M.header.gguf");
        assertThat(q4.layers()).isNotNull();

        VramCell cell = VramAnalyzer.withFacts(facts).analyze(dir).cells().get(0);

        assertThat(cell.breakdown().factsSource()).isEqualTo(q4.source());
        assertThat(cell.breakdown().weightsMib()).isEqualTo(q4.weightsMib());
        assertThat(cell.breakdown().kvCacheMib()).isEqualTo(q4.kvCacheMib(4096));
    }

    @Test
    @DisplayName("model_facts.json round-trips and names the fact and field it cannot read")
    void modelFactsFile() throws IOException {
        Path file = dir.resolve(VramAnalyzer.MODEL_FACTS_FILE);
        ModelFacts facts = new ModelFacts("tiny", "Q4_K_M", 636, 16L, 16L, 64L, 64L, 2.0, 2048, "simulated");
        Files.writeString(file, ModelFactsJson.toJson(List.of(facts), ExecutionLane.CI, VramProfile.BALANCED));
        assertThat(ModelFactsJson.read(file)).containsExactly(facts);
        assertThat(facts.kvCacheMib(2048)).isEqualTo(128L);

        Files.writeString(file, "{\"facts\":[{\"quant_tag\":\"Q4_K_M\",\"weights_mib\":\"big\"}]}");
        assertThatThrownBy(() -> ModelFactsJson.read(file)).isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("facts[0]: field weights_mib must be an integer but was '\"big\"'");
    }

    @Test
    @DisplayName("a directory without a manifest, or with a broken sample, says which file")
    void misuse() throws IOException {
        assertThatThrownBy(() -> VramAnalyzer.withFacts(List.of()).analyze(dir))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("No sweep manifest at");
        sweep(new long[] {1, 2});
        Files.writeString(SweepArtifacts.sidecarSamplesFile(dir, "cell/run-0"), "{\"vram_used_mib\":1.5}\n");
        assertThatThrownBy(() -> VramAnalyzer.withFacts(List.of()).analyze(dir))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("cell_run-0.jsonl line 1: field vram_used_mib must be an integer but was '1.5'");
    }
}
