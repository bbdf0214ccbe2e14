package dev.orket.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.ServerIdentity;
import dev.orket.simulator.server.Faults;
import dev.orket.simulator.server.ScriptedInferenceServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What Ollama says it serves, from captured /api/version, /api/show and /api/ps answers. */
class ServerIdentityTest {

    @Test
    @DisplayName("version, /api/show details and /api/ps context_length make the identity; there is no model file")
    void identity() throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("version.http").script());
            server.enqueue(Fixture.load("show.http").script());
            server.enqueue(Fixture.load("ps.http").script());
            ServerIdentity identity = provider.serverIdentity(Runs.MODEL);
            assertThat(identity).isEqualTo(new ServerIdentity("0.33.0-rc2", null, "Q4_K_M", 512, null, "llama",
                    "2.23M"));
            assertThat(identity.quantTagVerified("Q4_K_M")).isTrue();
            assertThat(identity.quantTagVerified("Q8_0")).isFalse();
            assertThat(Runs.take(server).path()).isEqualTo("/api/version");
            assertThat(Runs.take(server).path()).isEqualTo("/api/show");
            assertThat(Runs.take(server).path()).isEqualTo("/api/ps");
        }
    }

    @Test
    @DisplayName("a model that is not loaded has no context yet; a missing model gives no quant")
    void partial() throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("version.http").script());
            server.enqueue(Fixture.load("error-model-not-found-show.http").script());
            server.enqueue(Fixture.load("ps-empty.http").script());
            assertThat(provider.serverIdentity("nope")).isEqualTo(new ServerIdentity("0.33.0-rc2", null, null, null,
                    null, null, null));
        }
    }

    @Test
    @DisplayName("a server that does not answer cannot say: unknown, never an exception")
    void unreachable() throws Exception {
        try (OllamaProvider provider = Runs.provider(Faults.refusedConnectionUri())) {
            assertThat(provider.serverIdentity(Runs.MODEL)).isEqualTo(ServerIdentity.unknown());
        }
    }
}
