package dev.orket.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.ConfigurationException;
import dev.orket.api.ExecutionLane;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reading a sweep config")
class SweepConfigReaderTest {

    private static String config(String extra) {
        return String.format(SweepEngineTest.CONFIG, extra);
    }

    @Test
    @DisplayName("reads the documented keys with their defaults")
    void reads() {
        SweepConfig config = SweepConfigReader.parse(config(""), "c.json");

        assertThat(config.executionLane()).isEqualTo(ExecutionLane.CI);
        assertThat(config.repetitions()).isEqualTo(3);
        assertThat(config.sessions()).extracting(PromptSession::scorer).containsOnly("baseline_agreement");
        assertThat(config.models().get(0).serverModel("Q4_K_M")).isEqualTo("m:Q4_K_M");
        assertThat(config.controls().seed()).isEqualTo(42);
        assertThat(config.canary().latencyVarianceThreshold()).isEqualTo(0.03);
    }

    @Test
    @DisplayName("accepts the Python Orket's preset names")
    void pythonNames() {
        SweepConfig config = SweepConfigReader.parse(config(", \"runs_per_quant\": 7, \"warmup_steps\": 2, \"seed\": 9,"
                + " \"threads\": 8, \"affinity_policy\": \"compact\", \"canary_runs\": 4,"
                + " \"canary_latency_variance_threshold\": 0.05, \"adherence_threshold\": 0.9, \"latency_ceiling\": 900")
                .replace("\"repetitions\": 3, \"warmup_runs\": 1,", "").replace("\"canary\": {\"runs\": 3},", ""),
                "py.json");

        assertThat(config.repetitions()).isEqualTo(7);
        assertThat(config.warmupRuns()).isEqualTo(2);
        assertThat(config.controls().seed()).isEqualTo(9);
        assertThat(config.controls().threads()).isEqualTo(8);
        assertThat(config.canary().runs()).isEqualTo(4);
        assertThat(config.canary().latencyCeilingMs()).isEqualTo(900.0);
    }

    @Test
    @DisplayName("an error names the key path, the offending value and what was expected")
    void errorsNameKeyAndValue() {
        assertThatThrownBy(() -> SweepConfigReader.parse(config("").replace("\"balanced\"", "\"turbo\""), "c.json"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Sweep config c.json: vram_profile: Unknown VramProfile 'turbo'; expected one of [safe,"
                        + " balanced, stress]");
        assertThatThrownBy(() -> SweepConfigReader.parse(config("").replace("\"max_output_tokens\": 8}",
                "\"max_output_tokens\": \"many\"}"), "c.json"))
                .hasMessage("Sweep config c.json: sessions[0].max_output_tokens must be an integer but was \"many\"");
        assertThatThrownBy(() -> SweepConfigReader.parse(config("").replace("\"repetitions\": 3", "\"repetitions\": 0"),
                "c.json"))
                .hasMessage("Sweep config c.json: repetitions must be > 0 but was 0");
        assertThatThrownBy(() -> SweepConfigReader.parse("{\"provider\": 1}", "c.json"))
                .hasMessage("Sweep config c.json: provider must be an object but was 1");
    }

    @Test
    @DisplayName("timeout_ms bounds the whole run and idle_timeout_ms the silences; the idle gap defaults to the timeout")
    void deadlines() {
        SweepConfig defaults = SweepConfigReader.parse(config(""), "c.json");
        assertThat(defaults.timeout()).isEqualTo(java.time.Duration.ofMillis(120_000));
        assertThat(defaults.idleTimeout()).isNull();

        SweepConfig both = SweepConfigReader.parse(config(", \"timeout_ms\": 3000, \"idle_timeout_ms\": 500"), "c.json");
        assertThat(both.timeout()).isEqualTo(java.time.Duration.ofMillis(3000));
        assertThat(both.idleTimeout()).isEqualTo(java.time.Duration.ofMillis(500));

        assertThatThrownBy(() -> SweepConfigReader.parse(config(", \"idle_timeout_ms\": 0"), "c.json"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Sweep config c.json: idle_timeout_ms must be > 0 but was 0");
        assertThatThrownBy(() -> SweepConfigReader.parse(config(", \"timeout_ms\": 0"), "c.json"))
                .hasMessage("Sweep config c.json: timeout_ms must be > 0 but was 0");
    }

    @Test
    @DisplayName("an API key in the config is refused so it never lands in a file or an artifact")
    void apiKeyRefused() {
        assertThatThrownBy(() -> SweepConfigReader.parse(config("").replace("\"base_url\"",
                "\"api_key\": \"sk-123\", \"base_url\""), "c.json"))
                .hasMessageContaining("api_key_env")
                .hasMessageNotContaining("sk-123");
    }
}
