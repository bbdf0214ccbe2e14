package dev.orket.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.ServerIdentity;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What Ollama says it serves, from captured /api/version, /api/show and /api/ps answers. */
class ServerIdentityTest {

    @Test
    @DisplayName("version, /api/show details and /api/ps context_length make the identity; there is no model file")
    void identity() throws Exception {
        try (RawServer server = new RawServer(); OllamaProvider provider = Runs.provider(server.uri())) {
            server.enqueue(Fixture.load("version.http").response());
            server.enqueue(Fixture.load("show.http").response());
            server.enqueue(Fixture.load("ps.http").response());
            ServerIdentity identity = provider.serverIdentity(Runs.MODEL);
            assertThat(identity).isEqualTo(new ServerIdentity("0.33.0-rc2", null, "Q4_K_M", 512, null, "llama",
                    "2.23M"));
            assertThat(identity.quantTagVerified("Q4_K_M")).isTrue();
            assertThat(identity.quantTagVerified("Q8_0")).isFalse();
            assertThat(server.takeRequest().path()).isEqualTo("/api/version");
            assertThat(server.takeRequest().path()).isEqualTo("/api/show");
            assertThat(server.takeRequest().path()).isEqualTo("/api/ps");
        }
    }

    @Test
    @DisplayName("a model that is not loaded has no context yet; a missing model gives no quant")
    void partial() throws Exception {
        try (RawServer server = new RawServer(); OllamaProvider provider = Runs.provider(server.uri())) {
            server.enqueue(Fixture.load("version.http").response());
            server.enqueue(Fixture.load("error-model-not-found-show.http").response());
            server.enqueue(Fixture.load("ps-empty.http").response());
            assertThat(provider.serverIdentity("nope")).isEqualTo(new ServerIdentity("0.33.0-rc2", null, null, null,
                    null, null, null));
        }
    }

    @Test
    @DisplayName("a server that does not answer cannot say: unknown, never an exception")
    void unreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (OllamaProvider provider = Runs.provider(URI.create("http://127.0.0.1:" + port))) {
            assertThat(provider.serverIdentity(Runs.MODEL)).isEqualTo(ServerIdentity.unknown());
        }
    }
}
