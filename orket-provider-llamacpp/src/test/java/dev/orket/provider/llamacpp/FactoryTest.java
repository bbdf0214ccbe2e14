package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.Capability;
import dev.orket.api.ConfigurationException;
import dev.orket.api.PromptStyle;
import dev.orket.api.spi.FactoryResolver;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FactoryTest {

    @Test
    @DisplayName("the factory is found by id llamacpp and declares all five capabilities")
    void discovery() {
        var factory = FactoryResolver.provider("llamacpp");
        assertThat(factory).isInstanceOf(LlamaCppProviderFactory.class);
        assertThat(factory.capabilities()).containsExactlyInAnyOrder(Capability.values());
        try (var provider = factory.create(ProviderConfig.of(URI.create("http://127.0.0.1:1")))) {
            assertThat(provider.id()).isEqualTo("llamacpp");
            assertThat(provider.capabilities()).isEqualTo(factory.capabilities());
        }
    }

    @Test
    @DisplayName("unknown settings and bad values fail with the key and the fix")
    void settings() {
        var factory = new LlamaCppProviderFactory();
        URI base = URI.create("http://127.0.0.1:8080");
        assertThatThrownBy(() -> factory.create(config(base, Map.of("max_event_byte", "1"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'max_event_byte'")
                .hasMessageContaining("max_event_bytes");
        assertThatThrownBy(() -> factory.create(config(base, Map.of("max_event_bytes", "-4"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> factory.create(config(base, Map.of("api_prefix", "llama/"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("--api-prefix");
    }

    @Test
    @DisplayName("api_prefix mounts every route under the prefix")
    void prefix() throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                LlamaCppProvider provider = new LlamaCppProviderFactory()
                        .create(config(server.baseUri(), Map.of("api_prefix", "/llama")))) {
            server.enqueue(Fixture.load("health.http").script());
            provider.probe("tiny");
            assertThat(Runs.requestLine(server)).isEqualTo("GET /llama/health");
        }
    }

    @Test
    @DisplayName("a closed provider fails runs as data, not exceptions")
    void closed() {
        LlamaCppProvider provider = Runs.provider(URI.create("http://127.0.0.1:1"));
        provider.close();
        var result = Runs.execute(provider, Runs.request(PromptStyle.COMPLETION, true));
        assertThat(result.telemetry().outcome().failureMessage()).contains("closed");
    }

    private static ProviderConfig config(URI base, Map<String, String> settings) {
        return new ProviderConfig(base, null, Duration.ofSeconds(5), settings);
    }
}
