package dev.orket.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Reading a context sweep config")
class ContextSweepConfigTest {

    private static String config(String contextSweep) {
        return String.format(SweepEngineTest.CONFIG, ", \"context_sweep\": " + contextSweep);
    }

    private static SweepConfig parse(String contextSweep) {
        return SweepConfigReader.parse(config(contextSweep), "c.json");
    }

    private static void refused(String contextSweep, String message) {
        assertThatThrownBy(() -> parse(contextSweep)).isInstanceOf(ConfigurationException.class)
                .hasMessage("Sweep config c.json: " + message);
    }

    @Test
    @DisplayName("a profile takes its contexts and thresholds from the shipped profile file, read from the class path")
    void shippedProfile() throws IOException {
        ContextSweep safe = parse("{\"profile\": \"safe\"}").contextSweep();

        assertThat(safe.profile()).isEqualTo("safe");
        assertThat(safe.profilesFile()).isNull();
        assertThat(safe.contexts()).containsExactly(4096, 8192, 16384);
        assertThat(safe.thresholds().adherenceMin()).isEqualTo(0.95);
        assertThat(safe.thresholds().ttftCeilingMs()).isEqualTo(250.0);
        assertThat(safe.thresholds().decodeFloorTps()).isEqualTo(20.0);
        assertThat(safe.promptFill()).isEqualTo(0.5);
        assertThat(parse("{\"profile\": \"stress\", \"prompt_fill\": 0.25}").contextSweep().contexts())
                .containsExactly(16384, 32768, 65536);
        // The class-path copy is the project's profiles/ file, byte for byte.
        assertThat(ContextProfiles.shipped()).isEqualTo(Files.readString(
                Path.of("..", "profiles", ContextProfiles.SHIPPED_FILE), StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("profiles_file is relative to the config file's directory and must verify as a whole")
    void profilesFile(@TempDir Path dir) throws IOException {
        String stricter = ContextProfiles.shipped().replace("[4096, 8192, 16384], \"adherence_min\": 0.95",
                "[1024, 2048], \"adherence_min\": 0.97");
        Files.writeString(dir.resolve("mine.json"), stricter, StandardCharsets.UTF_8);
        Path file = dir.resolve("sweep.json");
        Files.writeString(file, config("{\"profile\": \"safe\", \"profiles_file\": \"mine.json\"}"));

        ContextSweep sweep = SweepConfigReader.read(file).contextSweep();

        assertThat(sweep.contexts()).containsExactly(1024, 2048);
        assertThat(sweep.thresholds().adherenceMin()).isEqualTo(0.97);
        assertThat(sweep.profilesFile()).isEqualTo("mine.json");

        Files.writeString(dir.resolve("loose.json"), ContextProfiles.shipped().replace("\"ttft_ceiling_ms\": 250.0",
                "\"ttft_ceiling_ms\": 900.0"), StandardCharsets.UTF_8);
        Files.writeString(file, config("{\"profile\": \"balanced\", \"profiles_file\": \"loose.json\"}"));
        assertThatThrownBy(() -> SweepConfigReader.read(file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("context_sweep.profiles_file: context sweep profile file "
                        + dir.resolve("loose.json") + " does not verify: profiles.safe.ttft_ceiling_ms: 900.0 is"
                        + " looser than the shipped 250.0 (must be <= 250.0)");
        Files.writeString(file, config("{\"profile\": \"safe\", \"profiles_file\": \"missing.json\"}"));
        assertThatThrownBy(() -> SweepConfigReader.read(file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("context_sweep.profiles_file " + dir.resolve("missing.json")
                        + " cannot be read: no such file");
    }

    @Test
    @DisplayName("inline contexts and thresholds are read and checked; the plan counts every context")
    void inline() {
        SweepConfig config = parse("{\"contexts\": [64, 128], \"adherence_min\": 0.9, \"ttft_ceiling_ms\": 50,"
                + " \"decode_floor_tps\": 10, \"prompt_fill\": 0.25}");

        assertThat(config.contextSweep().profile()).isNull();
        assertThat(config.contextSweep().contexts()).containsExactly(64, 128);
        assertThat(config.contextSweep().promptFill()).isEqualTo(0.25);
        assertThat(config.cellContexts()).containsExactly(64, 128);
        // 3 quants x 2 contexts x (1 warm-up + 2 sessions x 3 repetitions) + 3 canary runs.
        assertThat(config.plannedRunCount()).isEqualTo(3 * 2 * 7 + 3);
        assertThat(SweepConfigReader.parse(config("null"), "c.json").cellContexts()).containsExactly((Integer) null);
    }

    @Test
    @DisplayName("a context sweep is refused where it could measure the wrong thing, naming the key and the value")
    void refusals() {
        String inline = "\"adherence_min\": 0.9, \"ttft_ceiling_ms\": 50, \"decode_floor_tps\": 10";
        refused("{\"profile\": \"safe\", \"contexts\": [64]}", "context_sweep.profile and context_sweep.contexts are"
                + " both set; give a profile (its contexts and thresholds come from the profile file) or inline values,"
                + " not both");
        refused("{\"profile\": \"turbo\"}", "context_sweep.profile must be one of [safe, balanced, stress] but was"
                + " 'turbo'");
        refused("{\"profiles_file\": \"p.json\", \"contexts\": [64], " + inline + "}", "context_sweep.profiles_file is"
                + " set without context_sweep.profile; name the profile to use from it (safe, balanced or stress)");
        refused("{\"contexts\": [128, 64], " + inline + "}", "context_sweep.contexts must be ascending without"
                + " repeats but was [128, 64]");
        refused("{\"contexts\": [0], " + inline + "}", "context_sweep.contexts must be a non-empty array of integers"
                + " in [1, 16777216] but held 0");
        refused("{\"contexts\": [64], \"adherence_min\": 0.9, \"decode_floor_tps\": 10}", "context_sweep.ttft_ceiling_ms"
                + " is missing; inline context_sweep values need contexts, adherence_min, ttft_ceiling_ms and"
                + " decode_floor_tps (or give a profile)");
        refused("{\"contexts\": [64], \"adherence_min\": 0.9, \"ttft_ceiling_ms\": 0, \"decode_floor_tps\": 10}",
                "context_sweep.ttft_ceiling_ms must be > 0 but was 0.0");
        refused("{\"contexts\": [64], " + inline + ", \"prompt_fil\": 0.5}", "unknown key context_sweep.prompt_fil"
                + " (did you mean 'prompt_fill'?); remove it or fix its name (docs/specs/sweep-config.schema.json lists"
                + " every key)");
        refused("{\"contexts\": [16], " + inline + "}", "context_sweep: at context 16 the filler takes 8 tokens"
                + " (prompt_fill 0.5) and session 's1' asks for up to 8 output tokens: 8 + 8 >= 16, leaving no room for"
                + " its prompt; lower prompt_fill or max_output_tokens, or drop context 16");
        assertThatThrownBy(() -> SweepConfigReader.parse(config("{\"contexts\": [64], " + inline + "}")
                .replace("\"canary\"", "\"context_size\": 4096, \"canary\""), "c.json"))
                .hasMessage("Sweep config c.json: context_size and context_sweep are both set; a context sweep runs"
                        + " each quant at each of its contexts, so remove context_size");
        assertThatThrownBy(() -> SweepConfigReader.parse(config("{\"contexts\": [64], " + inline + "}")
                .replace("\"canary\"", "\"stream\": false, \"canary\""), "c.json"))
                .hasMessage("Sweep config c.json: context_sweep judges median TTFT, which only a streaming run"
                        + " measures; set stream to true");
        assertThatThrownBy(() -> SweepConfigReader.parse(config("{\"contexts\": [64], " + inline + "}")
                .replace("\"Q8_0\"]", "\"Q8@0\"]"), "c.json"))
                .hasMessage("Sweep config c.json: quant tag 'Q8@0' of model 'm' contains '@', which separates the"
                        + " context in a context sweep's cell keys and run ids; rename it");
    }

    @Test
    @DisplayName("cells are (model, quant, context), baseline quant at every context first; run ids carry the context")
    void plan() {
        SweepConfig config = parse("{\"contexts\": [64, 128], \"adherence_min\": 0.9, \"ttft_ceiling_ms\": 50,"
                + " \"decode_floor_tps\": 10}");

        SweepPlan plan = SweepPlan.resolve(config, SweepEngineTest.PRECISION);

        assertThat(plan.cells()).extracting(SweepCell::key).containsExactly("m/F16@64", "m/F16@128", "m/Q8_0@64",
                "m/Q8_0@128", "m/Q4_K_M@64", "m/Q4_K_M@128");
        assertThat(plan.cells()).extracting(SweepCell::baseline).containsExactly(true, true, false, false, false,
                false);
        assertThat(plan.canaryRuns()).extracting(PlannedRun::runId).containsExactly("canary/m/F16@64/c1",
                "canary/m/F16@64/c2", "canary/m/F16@64/c3");
        SweepCell q8 = plan.cells().get(3);
        assertThat(q8.runs()).extracting(PlannedRun::runId).startsWith("m/Q8_0@128/warmup/w1", "m/Q8_0@128/s1/r1",
                "m/Q8_0@128/s2/r1");
        assertThat(q8.runs()).extracting(PlannedRun::context).containsOnly(128);
        // Without a context sweep nothing changes: the formats existing ledgers and resumes rely on.
        SweepPlan plain = SweepPlan.resolve(SweepConfigReader.parse(config("null"), "c.json"), SweepEngineTest.PRECISION);
        assertThat(plain.cells()).extracting(SweepCell::key).containsExactly("m/F16", "m/Q8_0", "m/Q4_K_M");
        assertThat(plain.cells().get(1).runs()).extracting(PlannedRun::runId).startsWith("m/Q8_0/warmup/w1",
                "m/Q8_0/s1/r1");
        assertThat(plain.canaryRuns().get(0).runId()).isEqualTo("canary/m/F16/c1");
    }

    @Test
    @DisplayName("a shard runs, scoring only, the baseline cell of each (model, context) it holds another cell of")
    void shards() {
        SweepConfig config = parse("{\"contexts\": [64, 128], \"adherence_min\": 0.9, \"ttft_ceiling_ms\": 50,"
                + " \"decode_floor_tps\": 10}");

        SweepPlan first = SweepPlan.resolve(config, SweepEngineTest.PRECISION, Shard.parse("1/3"));
        SweepPlan second = SweepPlan.resolve(config, SweepEngineTest.PRECISION, Shard.parse("2/3"));

        // Cells 0..5 are F16@64, F16@128, Q8_0@64, Q8_0@128, Q4_K_M@64, Q4_K_M@128: shard 1 owns 0 and 3.
        assertThat(first.cells()).extracting(SweepCell::key).containsExactly("m/F16@64", "m/F16@128", "m/Q8_0@128");
        assertThat(first.cells()).extracting(SweepCell::scoringOnly).containsExactly(false, true, false);
        assertThat(second.cells()).extracting(SweepCell::key).containsExactly("m/F16@64", "m/F16@128", "m/Q4_K_M@64");
        assertThat(second.cells()).extracting(SweepCell::scoringOnly).containsExactly(true, false, false);
        assertThat(second.canaryRuns().get(0).runId()).isEqualTo("canary/m/F16@64/c1");
    }

    @Test
    @DisplayName("the filled prompt: floor(fill x context) filler words, then the session prompt")
    void filler() {
        assertThat(ContextFill.fillerTokens(128, 0.5)).isEqualTo(64);
        assertThat(ContextFill.fillerTokens(100, 0.33)).isEqualTo(33);
        String prompt = ContextFill.prompt("The quick brown fox", 16, 0.5);
        assertThat(prompt).isEqualTo("the the the the the the the the The quick brown fox");
        assertThat(List.of(prompt.split(" "))).hasSize(8 + 4);
        assertThat(ContextFill.prompt("hi", 16, 0.0)).isEqualTo("hi");
    }
}
