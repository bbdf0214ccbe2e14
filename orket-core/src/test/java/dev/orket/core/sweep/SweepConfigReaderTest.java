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
                .hasMessage("Sweep config c.json: sessions[0].max_output_tokens must be an integer in [1, 1048576] but"
                        + " was \"many\"");
        assertThatThrownBy(() -> SweepConfigReader.parse(config("").replace("\"repetitions\": 3", "\"repetitions\": 0"),
                "c.json"))
                .hasMessage("Sweep config c.json: repetitions must be an integer in [1, 100000] but was 0");
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
                .hasMessage("Sweep config c.json: idle_timeout_ms must be an integer in [1, 86400000] but was 0");
        assertThatThrownBy(() -> SweepConfigReader.parse(config(", \"timeout_ms\": 0"), "c.json"))
                .hasMessage("Sweep config c.json: timeout_ms must be an integer in [1, 86400000] but was 0");
    }

    @Test
    @DisplayName("an API key in the config is refused so it never lands in a file or an artifact")
    void apiKeyRefused() {
        assertThatThrownBy(() -> SweepConfigReader.parse(config("").replace("\"base_url\"",
                "\"api_key\": \"sk-123\", \"base_url\""), "c.json"))
                .hasMessageContaining("api_key_env")
                .hasMessageNotContaining("sk-123");
    }

    private static String replaced(String from, String to) {
        String base = config("");
        if (!base.contains(from)) {
            throw new AssertionError("the base config lacks " + from);
        }
        return base.replace(from, to);
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> refused(String json) {
        return assertThatThrownBy(() -> SweepConfigReader.parse(json, "c.json"))
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    @DisplayName("duplicate session ids and model names are refused, naming both entries")
    void duplicatesNamed() {
        refused(replaced("{\"id\": \"s2\"", "{\"id\": \"s1\""))
                .hasMessage("Sweep config c.json: sessions[0] and sessions[1] both have id 's1'; each id must be"
                        + " unique, or their runs would share run ids and one would be silently lost");
        refused(replaced("\"models\": [{\"name\": \"m\", \"quants\": [\"Q4_K_M\", \"F16\", \"Q8_0\"]}]",
                "\"models\": [{\"name\": \"m\", \"quants\": [\"F16\"]}, {\"name\": \"x\", \"quants\": [\"F16\"]},"
                        + " {\"name\": \"m\", \"quants\": [\"Q8_0\"]}]"))
                .hasMessageStartingWith("Sweep config c.json: models[0] and models[2] both have name 'm'");
        refused(replaced("[\"Q4_K_M\", \"F16\", \"Q8_0\"]", "[\"Q4_K_M\", \"F16\", \"Q4_K_M\"]"))
                .hasMessage("Sweep config c.json: models[0].quants[0] and [2] both name 'Q4_K_M'; list each quant once");
    }

    @Test
    @DisplayName("ids that name files are [A-Za-z0-9._-] without '..', so a sweep cannot escape its output root")
    void idsValidated() {
        refused(replaced("\"test-sweep\"", "\"../escaped\""))
                .hasMessage("Sweep config c.json: sweep_id must be 1 to 128 of [A-Za-z0-9._-] without '..' (it names"
                        + " files and directories) but was \"../escaped\"");
        refused(replaced("\"test-sweep\"", "\"a..b\"")).hasMessageContaining("sweep_id must be");
        refused(replaced("{\"id\": \"s2\"", "{\"id\": \"s/2\"")).hasMessageContaining("sessions[1].id must be");
        refused(replaced("\"name\": \"m\"", "\"name\": \"..\"")).hasMessageContaining("models[0].name must be");
        refused(replaced("\"Q8_0\"]", "\"../Q8\"]")).hasMessageContaining("models[0].quants[2] must be a tag");
    }

    @Test
    @DisplayName("integers are range-checked instead of wrapping, and an oversized plan is refused with its size")
    void ranges() {
        refused(replaced("\"repetitions\": 3", "\"repetitions\": 4294967297"))
                .hasMessage("Sweep config c.json: repetitions must be an integer in [1, 100000] but was 4294967297");
        refused(replaced("\"repetitions\": 3", "\"repetitions\": 1e9"))
                .hasMessageContaining("repetitions must be an integer in [1, 100000] but was 1.0E9");
        refused(replaced("\"repetitions\": 3", "\"repetitions\": 100000"))
                .hasMessage("Sweep config c.json: the sweep plans 600006 runs (3 cell(s) x (1 warm-up + 2 session(s)"
                        + " x 100000 repetitions) + 3 canary); at most 100000 are accepted. Lower repetitions or split"
                        + " the sweep into several configs.");
        refused(config(", \"timeout_ms\": 0")).hasMessageContaining("timeout_ms must be an integer in [1, 86400000]");
        refused(config(", \"context_size\": -5")).hasMessageContaining("context_size must be an integer in [1,");
        refused(config(", \"controls\": {\"seed\": -1}")).hasMessageContaining("controls.seed must be an integer");
        refused(replaced("\"max_output_tokens\": 8}", "\"max_output_tokens\": 99999999999}"))
                .hasMessageContaining("sessions[0].max_output_tokens must be an integer in [1, 1048576]");
        refused(config(", \"canary_runs\": 2")).hasMessage("Sweep config c.json: canary and canary_runs are both"
                + " set; canary_runs is the Python Orket's name for canary.runs, so keep one");
    }

    @Test
    @DisplayName("an unknown key is an error naming it and the nearest known key")
    void unknownKeys() {
        refused(replaced("\"repetitions\": 3", "\"repetition\": 3"))
                .hasMessage("Sweep config c.json: unknown key repetition (did you mean 'repetitions'?); remove it or fix"
                        + " its name (docs/specs/sweep-config.schema.json lists every key)");
        refused(replaced("\"max_output_tokens\": 8}", "\"max_tokens\": 8}"))
                .hasMessageStartingWith("Sweep config c.json: unknown key sessions[0].max_tokens (did you mean"
                        + " 'max_output_tokens'?)");
        refused(config(", \"canary\": {\"runs\": 1}".replace("canary", "canary2")))
                .hasMessageContaining("unknown key canary2 (did you mean 'canary'?)");
        refused(config(", \"zzzzzzzzzzzz\": 1")).hasMessage("Sweep config c.json: unknown key zzzzzzzzzzzz; remove it"
                + " or fix its name (docs/specs/sweep-config.schema.json lists every key)");
    }

    @Test
    @DisplayName("a key given twice and content after the object are errors naming the key and the line")
    void duplicateKeysAndTrailingContent() {
        refused(config(",\n  \"repetitions\": 4")).hasMessage("Sweep config c.json: key 'repetitions' appears twice in"
                + " one object at line 10; keep one");
        refused(config("") + "\n{\"x\": 1}").hasMessage("Sweep config c.json has content after its JSON object at"
                + " line 11; a config is exactly one object");
        refused("[1]").hasMessage("Sweep config c.json must be one JSON object but was [1]");
    }

    @Test
    @DisplayName("a config nested 100,000 deep is one clear error, not a parser's internal failure")
    void deepNesting() {
        String deep = "{\"provider\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        refused(deep).hasMessage("Sweep config c.json nests objects or arrays deeper than 16 levels; a sweep"
                + " config nests at most 4 deep");
    }

    @Test
    @DisplayName("base_url must be http(s) with a host and no credentials")
    void urls() {
        refused(replaced("\"http://127.0.0.1:1\"", "\"ftp://127.0.0.1/x\""))
                .hasMessage("Sweep config c.json: provider.base_url must be an absolute http:// or https:// URL with a"
                        + " host, e.g. http://127.0.0.1:8080 but was \"ftp://127.0.0.1/x\"");
        refused(replaced("\"http://127.0.0.1:1\"", "\"http://user:pw@127.0.0.1:1\""))
                .hasMessageContaining("must not carry credentials");
    }

    @Test
    @DisplayName("managed_server.args: [] is accepted; --host, --port and key options in it are refused")
    void managedArgs() {
        String managed = ", \"managed_server\": {\"executable\": \"llama-server\", \"args\": %s}";
        String withFiles = replaced("[\"Q4_K_M\", \"F16\", \"Q8_0\"]}", "[\"F16\"], \"gguf_files\": {\"F16\": \"m.gguf\"}}");

        SweepConfig config = SweepConfigReader.parse(withFiles.replace("\"balanced\"",
                "\"balanced\"" + String.format(managed, "[]")), "c.json");

        assertThat(config.managedServer().args()).isEmpty();
        for (String arg : new String[] {"--host", "--host=0.0.0.0", "--port", "--api-key", "--api-key-file"}) {
            refused(withFiles.replace("\"balanced\"", "\"balanced\"" + String.format(managed, "[\"" + arg + "\"]")))
                    .hasMessageStartingWith("Sweep config c.json: managed_server.args must not set "
                            + arg.replace("=0.0.0.0", "") + ":");
        }
    }

    @Test
    @DisplayName("a template without {quant} for several quants is refused: every quant would run one model")
    void templateNeedsQuant() {
        refused(replaced("\"name\": \"m\",", "\"name\": \"m\", \"server_model_template\": \"llama3\","))
                .hasMessageContaining("models[0].server_model_template must contain {quant}");
    }

    @Test
    @DisplayName("server_process_names name the measured server's processes; an unknown affinity policy is refused")
    void serverProcessNamesAndAffinity() {
        assertThat(SweepConfigReader.parse(config(""), "c.json").serverProcessNames()).isEmpty();
        assertThat(SweepConfigReader.parse(config(", \"server_process_names\": [\"ollama\", \"llama-server\"]"),
                "c.json").serverProcessNames()).containsExactly("ollama", "llama-server");
        assertThatThrownBy(() -> SweepConfigReader.parse(config(", \"server_process_names\": \"ollama\""), "c.json"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Sweep config c.json: server_process_names must be a non-empty array of non-empty strings but"
                        + " was \"ollama\"");
        assertThat(SweepConfigReader.parse(config(", \"controls\": {\"affinity_policy\": \"0-1,3\"}"), "c.json")
                .controls().affinityPolicy()).isEqualTo("0-1,3");
        assertThatThrownBy(() -> SweepConfigReader.parse(config(", \"controls\": {\"affinity_policy\": \"scatter\"}"),
                "c.json")).isInstanceOf(ConfigurationException.class)
                .hasMessage("Sweep config c.json: affinity_policy must be none, compact, spread or a CPU list such as"
                        + " 0-3,6 but was 'scatter'");
    }
}
