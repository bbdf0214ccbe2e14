package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.ServerIdentity;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What llama-server says it serves, from a captured /props answer. */
class ServerIdentityTest {

    @Test
    @DisplayName("/props gives build, the model file's base name (never the path), quant tag, n_ctx and slots")
    void identity() throws Exception {
        try (RawServer server = new RawServer(); LlamaCppProvider provider = Runs.provider(server.baseUrl())) {
            server.enqueue(Fixture.load("props.http").response());
            ServerIdentity identity = provider.serverIdentity("tiny-random-llama:Q4_K_M");
            assertThat(identity).isEqualTo(new ServerIdentity("b10587-3f545bec", "tiny-random-llama-Q4_K_M.gguf",
                    "Q4_K_M", 512, 1, null, null));
            assertThat(identity.quantTagVerified("q4_k_m")).isTrue();
            assertThat(server.takeRequest()).startsWith("GET /props?model=tiny-random-llama%3AQ4_K_M HTTP/1.1");
        }
    }

    @Test
    @DisplayName("a server that does not answer cannot say: unknown, never an exception")
    void unreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (LlamaCppProvider provider = Runs.provider(URI.create("http://127.0.0.1:" + port))) {
            assertThat(provider.serverIdentity("tiny")).isEqualTo(ServerIdentity.unknown());
        }
    }
}
