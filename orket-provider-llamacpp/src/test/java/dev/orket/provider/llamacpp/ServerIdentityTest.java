package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.ServerIdentity;
import dev.orket.simulator.server.Faults;
import dev.orket.simulator.server.ScriptedInferenceServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What llama-server says it serves, from a captured /props answer. */
class ServerIdentityTest {

    @Test
    @DisplayName("/props gives build, the model file's base name (never the path), quant tag, n_ctx and slots")
    void identity() throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("props.http").script());
            ServerIdentity identity = provider.serverIdentity("tiny-random-llama:Q4_K_M");
            assertThat(identity).isEqualTo(new ServerIdentity("b10587-3f545bec", "tiny-random-llama-Q4_K_M.gguf",
                    "Q4_K_M", 512, 1, null, null));
            assertThat(identity.quantTagVerified("q4_k_m")).isTrue();
            assertThat(Runs.requestLine(server)).isEqualTo("GET /props?model=tiny-random-llama%3AQ4_K_M");
        }
    }

    @Test
    @DisplayName("a server that does not answer cannot say: unknown, never an exception")
    void unreachable() throws Exception {
        try (LlamaCppProvider provider = Runs.provider(Faults.refusedConnectionUri())) {
            assertThat(provider.serverIdentity("tiny")).isEqualTo(ServerIdentity.unknown());
        }
    }
}
