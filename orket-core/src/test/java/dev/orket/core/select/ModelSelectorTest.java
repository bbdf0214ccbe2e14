package dev.orket.core.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.core.artifact.ArtifactFormatException;
import dev.orket.core.kpi.IncomparableResultsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("ModelSelector")
class ModelSelectorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    static String cell(String model, String tag, double speed, double quality, double vram, double ttft,
            double speedLow, double speedHigh) {
        return "{\"model\":\"" + model + "\",\"quant_tag\":\"" + tag + "\",\"row_kind\":\"valid_runs\",\"valid_runs\":6,"
                + "\"metrics\":{\"generation_tokens_per_second\":{\"median\":" + speed + ",\"median_ci\":{\"lower\":"
                + speedLow + ",\"upper\":" + speedHigh + "}},\"quality_score\":{\"median\":" + quality
                + ",\"median_ci\":{\"lower\":" + quality + ",\"upper\":" + quality + "}},"
                + "\"peak_vram_used_mb\":{\"median\":" + vram + "},\"client_ttft_ms\":{\"median\":" + ttft + "}}}";
    }

    private Path summary(String name, String lane, String profile, String extra, String... cells) throws IOException {
        Path sub = Files.createDirectories(dir.resolve(name));
        Path file = sub.resolve("summary.json");
        Files.writeString(file, "{\"schema_version\":1,\"record_type\":\"kpi_summary\",\"sweep_id\":\"" + name + "\","
                + "\"execution_lane\":\"" + lane + "\",\"vram_profile\":\"" + profile + "\",\"cells\":["
                + String.join(",", cells) + "]" + extra + "}");
        return file;
    }

    @Test
    @DisplayName("picks the fastest candidate meeting every constraint across models and summaries, with its runner-up")
    void picksAcrossSummaries() throws IOException {
        Path one = summary("s1", "lab", "balanced", "",
                cell("llama", "Q8_0", 40, 0.99, 9000, 200, 39, 41),
                cell("llama", "Q4_K_M", 60, 0.96, 5200, 150, 58, 62));
        Path two = summary("s2", "lab", "balanced", "",
                cell("qwen", "Q4_K_M", 70, 0.93, 5000, 120, 68, 72),
                cell("qwen", "Q5_K_M", 55, 0.97, 5900, 160, 53, 57));

        Selection s = ModelSelector.select(List.of(one, two), new SelectionConstraints(6000, 0.95, 180.0, null));

        assertThat(s.winner().label()).isEqualTo("llama/Q4_K_M");
        assertThat(s.runnerUp().label()).isEqualTo("qwen/Q5_K_M");
        assertThat(s.decision()).isEqualTo("speed");
        assertThat(s.reasons().get(0)).contains("llama/Q4_K_M meets every constraint").contains("5200 MiB ≤ 6000 MiB")
                .contains("TTFT 150 ms ≤ 180 ms");
        assertThat(s.candidates()).filteredOn(c -> c.label().equals("qwen/Q4_K_M")).singleElement()
                .extracting(Candidate::blockedBy).isEqualTo(List.of(SelectionBlock.BELOW_QUALITY_FLOOR));
        assertThat(s.candidates()).filteredOn(c -> c.label().equals("llama/Q8_0")).singleElement()
                .extracting(Candidate::blockedBy)
                .isEqualTo(List.of(SelectionBlock.OVER_VRAM_BUDGET, SelectionBlock.OVER_LATENCY_CEILING));
    }

    @Test
    @DisplayName("within noise on speed and quality, the smaller VRAM footprint wins")
    void smallerVramWithinNoise() throws IOException {
        Path one = summary("s1", "ci", "safe", "",
                cell("m", "Q6_K", 61, 0.98, 7000, 100, 55, 66),
                cell("m", "Q5_K_M", 60, 0.98, 6000, 100, 54, 65));

        Selection s = ModelSelector.select(List.of(one), new SelectionConstraints(8000, 0.9, null, null));

        assertThat(s.winner().quantTag()).isEqualTo("Q5_K_M");
        assertThat(s.runnerUp().quantTag()).isEqualTo("Q6_K");
        assertThat(s.decision()).isEqualTo("smaller_vram_within_noise");
    }

    @Test
    @DisplayName("nothing fits: no winner, and every candidate says what blocked it")
    void nothingFits() throws IOException {
        Path one = summary("s1", "ci", "safe", "", cell("m", "Q4_K_M", 60, 0.9, 5000, 100, 59, 61));

        Selection s = ModelSelector.select(List.of(one), new SelectionConstraints(4000, 0.95, null, 8192));

        assertThat(s.winner()).isNull();
        assertThat(s.runnerUp()).isNull();
        assertThat(s.reasons()).containsExactly("no candidate meets every constraint (1 offered)",
                "m/Q4_K_M: context_unknown; quality 0.9000 < floor 0.9500; peak VRAM 5000 MiB > budget 4000 MiB");
        JsonNode json = MAPPER.readTree(SelectionJson.toJson(s));
        assertThat(json.get("model").isNull()).isTrue();
        assertThat(json.get("candidates").get(0).get("blocked_by").toString())
                .isEqualTo("[\"context_unknown\",\"below_quality_floor\",\"over_vram_budget\"]");
    }

    @Test
    @DisplayName("summaries of different lanes or profiles are refused, naming both")
    void mixedLanesRefused() throws IOException {
        Path one = summary("s1", "ci", "safe", "", cell("m", "Q4_K_M", 60, 0.9, 5000, 100, 59, 61));
        Path two = summary("s2", "lab", "safe", "", cell("m", "Q5_K_M", 50, 0.95, 6000, 100, 49, 51));

        assertThatThrownBy(() -> ModelSelector.select(List.of(one, two), new SelectionConstraints(9000, 0.5, null, null)))
                .isInstanceOf(IncomparableResultsException.class).hasMessageContaining("(ci/safe)")
                .hasMessageContaining("(lab/safe)").hasMessageContaining("comparable only when both match");
    }

    @Test
    @DisplayName("without context_ceilings, the context is the manifest's single context beside the summary")
    void sweepContextFromManifest() throws IOException {
        Path one = summary("s1", "lab", "balanced", "", cell("m", "Q4_K_M", 60, 0.97, 5000, 100, 59, 61));
        Files.writeString(one.getParent().resolve("sweep_manifest.json"), "{\"context_size\":4096}");

        Selection fits = ModelSelector.select(List.of(one), new SelectionConstraints(6000, 0.9, null, 4096));
        Selection tooSmall = ModelSelector.select(List.of(one), new SelectionConstraints(6000, 0.9, null, 8192));

        assertThat(fits.winner().context()).isEqualTo(4096);
        assertThat(tooSmall.winner()).isNull();
        assertThat(tooSmall.candidates().get(0).blockedBy()).containsExactly(SelectionBlock.BELOW_CONTEXT);
    }

    @Test
    @DisplayName("context_ceilings (hand-written in the documented shape): one candidate per context, failed ones blocked")
    void contextCeilings() throws IOException {
        String ceilings = ",\"context_ceilings\":["
                + "{\"model\":\"m\",\"quant_tag\":\"Q4_K_M\",\"context_ceiling\":256,\"per_context\":["
                + "{\"context\":128,\"passed\":true,\"reasons\":[],\"median_adherence\":0.97,\"median_ttft_ms\":90.0,"
                + "\"median_decode_tps\":64.0,\"median_peak_vram_used_mb\":4800},"
                + "{\"context\":256,\"passed\":true,\"reasons\":[],\"median_adherence\":0.96,\"median_ttft_ms\":140.0,"
                + "\"median_decode_tps\":61.0,\"median_peak_vram_used_mb\":4900},"
                + "{\"context\":512,\"passed\":false,\"reasons\":[\"ttft_above_ceiling\"],\"median_adherence\":0.96,"
                + "\"median_ttft_ms\":400.0,\"median_decode_tps\":55.0,\"median_peak_vram_used_mb\":5100}]},"
                + "{\"model\":\"m\",\"quant_tag\":\"Q8_0\",\"context_ceiling\":null,\"per_context\":["
                + "{\"context\":128,\"passed\":false,\"reasons\":[\"decode_below_floor\"],"
                + "\"medians\":{\"quality_score\":0.99,\"client_ttft_ms\":80.0,\"generation_tokens_per_second\":9.0,"
                + "\"peak_vram_used_mb\":8000}}]}]";
        Path one = summary("s1", "lab", "balanced", ceilings,
                cell("m", "Q4_K_M", 60, 0.97, 5000, 100, 59, 61), cell("m", "Q6_K", 50, 0.98, 6000, 100, 49, 51));

        List<ContextCeiling> read = ContextCeilingsReader.read(MAPPER.readTree(one.toFile()), "s1");
        assertThat(read).hasSize(2);
        assertThat(read.get(0).contextCeiling()).isEqualTo(256);
        assertThat(read.get(0).perContext().get(2))
                .isEqualTo(new ContextCeiling.PerContext(512, false, List.of("ttft_above_ceiling"), 0.96, 55.0, 400.0,
                        5100.0));
        assertThat(read.get(1).contextCeiling()).isNull();
        assertThat(read.get(1).perContext().get(0).speed()).isEqualTo(9.0);

        Selection s = ModelSelector.select(List.of(one), new SelectionConstraints(7000, 0.95, null, 200));

        // Q4_K_M@128 is below the asked context; @512 failed its profile; Q6_K (no ceilings) has no known context.
        assertThat(s.winner().label()).isEqualTo("m/Q4_K_M@256");
        assertThat(s.winner().figures().speed()).isEqualTo(61.0);
        assertThat(s.candidates()).extracting(Candidate::label).containsExactly("m/Q4_K_M@256", "m/Q4_K_M@128",
                "m/Q4_K_M@512", "m/Q6_K", "m/Q8_0@128");
        assertThat(s.candidates().get(2).blockedBy()).containsExactly(SelectionBlock.CONTEXT_FAILED);
        assertThat(s.candidates().get(3).blockedBy()).containsExactly(SelectionBlock.CONTEXT_UNKNOWN);
        assertThat(s.candidates().get(4).blockedBy()).containsExactly(SelectionBlock.CONTEXT_FAILED,
                SelectionBlock.BELOW_CONTEXT, SelectionBlock.OVER_VRAM_BUDGET);
    }

    @Test
    @DisplayName("a context sweep's summary, as the pipeline writes it: one candidate per (quant, context) with that"
            + " cell's median intervals")
    void contextSweepSummaryFromThePipeline() throws IOException {
        dev.orket.core.kpi.KpiAggregator kpis = new dev.orket.core.kpi.KpiAggregator(
                dev.orket.core.policy.RunPolicy.DEFAULT);
        for (int context : new int[] {256, 512}) {
            for (int i = 0; i < 8; i++) {
                kpis.add(dev.orket.core.kpi.TestRuns.run("q4@" + context + "/" + i).model("m").quant("Q4_K_M")
                        .context(context).speed(100 + i).ttft(context / 4.0).build(), 0.97);
            }
        }
        var ceilings = dev.orket.core.recommend.ContextCeilings.judge(kpis.summary(),
                new dev.orket.core.recommend.ContextThresholds(0.95, 100.0, 20.0),
                List.of(new dev.orket.core.recommend.ContextCeilings.PlannedCell("m", "Q4_K_M", 256),
                        new dev.orket.core.recommend.ContextCeilings.PlannedCell("m", "Q4_K_M", 512)),
                java.util.Map.of());
        String json = dev.orket.core.recommend.SummaryJson.toJson(dev.orket.core.recommend.AnalysisSummary.analyze(
                kpis.summary(), dev.orket.core.recommend.ViewOptions.DEFAULT), "ctx",
                dev.orket.api.ExecutionLane.LAB, dev.orket.api.VramProfile.BALANCED, java.util.Map.of(), ceilings);
        Path file = Files.createDirectories(dir.resolve("ctx")).resolve("summary.json");
        Files.writeString(file, json);

        List<Candidate> candidates = ModelSelector.candidates(MAPPER.readTree(json), file, null);

        assertThat(candidates).extracting(Candidate::label).containsExactly("m/Q4_K_M@256", "m/Q4_K_M@512");
        assertThat(candidates).allSatisfy(c -> {
            assertThat(c.figures().speedCi()).isNotNull();
            assertThat(c.figures().qualityCi()).isNotNull();
        });
        assertThat(candidates.get(1).figures().contextPassed()).isFalse();
        Selection s = ModelSelector.select(List.of(file), new SelectionConstraints(100_000, 0.95, null, 300));
        assertThat(s.winner()).isNull();
        assertThat(ModelSelector.select(List.of(file), new SelectionConstraints(100_000, 0.95, null, 200)).winner()
                .label()).isEqualTo("m/Q4_K_M@256");
    }

    @Test
    @DisplayName("a malformed context_ceilings entry names the entry and the field")
    void malformedCeilings() throws IOException {
        Path one = summary("s1", "lab", "balanced", ",\"context_ceilings\":[{\"model\":\"m\",\"quant_tag\":\"Q4_K_M\","
                + "\"per_context\":[{\"context\":128,\"passed\":\"yes\"}]}]");

        assertThatThrownBy(() -> ModelSelector.select(List.of(one), new SelectionConstraints(7000, 0.5, null, null)))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("context_ceilings[0].per_context[0]: passed must be a boolean but was \"yes\"");
    }
}
