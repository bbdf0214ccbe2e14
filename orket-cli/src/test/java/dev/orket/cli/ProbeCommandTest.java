package dev.orket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.simulator.server.ScriptedInferenceServer;
import dev.orket.simulator.server.SimulatedQuantFamily;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("orket probe")
class ProbeCommandTest {

    @Test
    @DisplayName("prints ready, then what the server serves: build, model file, quant, context size, slots")
    void readyWithIdentity() {
        SimulatedQuantFamily family = SimulatedQuantFamily.standard();
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.setDispatcher(family);
            String model = family.modelName(family.quantByTag("Q8_0"));

            Cli cli = Cli.run("probe", "--provider", "llamacpp", "--url", server.baseUri().toString(), "--model", model);

            assertThat(cli.exitCode()).as(cli.err()).isZero();
            assertThat(cli.out()).contains("ready: " + model)
                    .contains("  build:        b10587-3f545bec")
                    .contains("  model file:   " + model)
                    .contains("  served quant: Q8_0")
                    .contains("  context size: 2048")
                    .contains("  slots:        1");
        }
    }

    @Test
    @DisplayName("--api-key-env naming a variable that is not set is a configuration error (exit 3), not a probe"
            + " without the key")
    void apiKeyEnvNotSet() {
        String variable = "ORKET_TEST_PROBE_KEY_NOT_SET";
        assertThat(System.getenv(variable)).isNull();
        SimulatedQuantFamily family = SimulatedQuantFamily.standard();
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.setDispatcher(family);
            String model = family.modelName(family.quantByTag("Q8_0"));

            Cli cli = Cli.run("probe", "--provider", "openai", "--url", server.baseUri().toString(), "--model", model,
                    "--api-key-env", variable);

            assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(3);
            assertThat(cli.out()).isEmpty();
            assertThat(cli.err()).isEqualTo("orket: --api-key-env names " + variable + " but that environment variable"
                    + " is not set; set it to the server's API key" + System.lineSeparator());
        }
    }

    @Test
    @DisplayName("--json prints one JSON object with readiness and identity")
    void json() throws IOException {
        SimulatedQuantFamily family = SimulatedQuantFamily.standard();
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.setDispatcher(family);
            String model = family.modelName(family.quantByTag("Q4_K_M"));

            Cli cli = Cli.run("probe", "--provider", "llamacpp", "--url", server.baseUri().toString(), "--model", model,
                    "--json");

            assertThat(cli.exitCode()).as(cli.err()).isZero();
            assertThat(cli.out().strip().lines()).hasSize(1);
            JsonNode node = new ObjectMapper().readTree(cli.out());
            assertThat(node.get("ready").asBoolean()).isTrue();
            assertThat(node.get("served_quant_tag").asText()).isEqualTo("Q4_K_M");
            assertThat(node.get("server_context_size").asInt()).isEqualTo(2048);
            assertThat(node.get("server_build").asText()).isEqualTo("b10587-3f545bec");
            assertThat(node.get("reasons")).isEmpty();
        }
    }

    @Test
    @DisplayName("--provider openai asks the OpenAI endpoints: ready, with what /v1/models and /props say")
    void openAi() throws IOException {
        SimulatedQuantFamily family = SimulatedQuantFamily.standard();
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.setDispatcher(family);
            String model = family.modelName(family.quantByTag("Q8_0"));

            Cli cli = Cli.run("probe", "--provider", "openai", "--url", server.baseUri().toString(), "--model", model);

            assertThat(cli.exitCode()).as(cli.err()).isZero();
            assertThat(cli.out()).contains("ready: " + model)
                    .contains("  build:        b10587-3f545bec")
                    .contains("  model file:   " + model)
                    .contains("  served quant: (the server does not say)")
                    .contains("  context size: 2048")
                    .contains("  slots:        1");
            Cli missing = Cli.run("probe", "--provider", "openai", "--url", server.baseUri().toString(), "--model",
                    "no-such-model", "--json");
            assertThat(missing.exitCode()).isEqualTo(1);
            JsonNode node = new ObjectMapper().readTree(missing.out());
            assertThat(node.get("provider").asText()).isEqualTo("openai");
            assertThat(node.get("reasons").get(0).asText()).isEqualTo("model_not_found");
            assertThat(node.get("detail").asText()).contains("'no-such-model'").contains(model);
        }
    }

    @Test
    @DisplayName("--json of a server that is down says blocked with the reason, exit 1")
    void blockedJson() throws IOException {
        Cli cli = Cli.run("probe", "--provider", "llamacpp", "--url", "http://127.0.0.1:9", "--model", "m", "--json");

        assertThat(cli.exitCode()).isEqualTo(1);
        JsonNode node = new ObjectMapper().readTree(cli.out());
        assertThat(node.get("ready").asBoolean(true)).isFalse();
        assertThat(node.get("reasons").get(0).asText()).isEqualTo("unreachable");
        assertThat(node.get("served_quant_tag").isNull()).isTrue();
    }
}
