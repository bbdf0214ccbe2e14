package dev.orket.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.Capability;
import dev.orket.api.ConfigurationException;
import dev.orket.api.spi.FactoryResolver;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.ProviderFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Discovery and settings")
class ConfigurationTest {

    private static ProviderConfig config(Map<String, String> settings) {
        return new ProviderConfig(URI.create("http://127.0.0.1:11434"), null, Duration.ofSeconds(1), settings);
    }

    @Test
    @DisplayName("the factory is found by ServiceLoader under id ollama")
    void discovery() {
        boolean found = false;
        for (ProviderFactory factory : ServiceLoader.load(ProviderFactory.class)) {
            if ("ollama".equals(factory.id())) {
                found = true;
                assertThat(factory).isInstanceOf(OllamaProviderFactory.class);
                assertThat(factory.spiVersion()).isEqualTo(ProviderFactory.SPI_VERSION);
                assertThat(factory.capabilities()).contains(Capability.STREAMING, Capability.NON_STREAMING,
                        Capability.MODEL_LISTING);
            }
        }
        assertThat(found).isTrue();
    }

    @Test
    @DisplayName("endpoint=openai is refused at creation with the reason")
    void openAiRefused() {
        assertThatThrownBy(() -> new OllamaProviderFactory().create(config(Map.of("endpoint", "openai"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no server durations");
        try (OllamaProvider provider = new OllamaProviderFactory().create(config(Map.of("endpoint", "native")))) {
            assertThat(provider.id()).isEqualTo("ollama");
        }
    }

    @Test
    @DisplayName("unknown keys and bad values name the key and what is expected")
    void badSettings() {
        assertThatThrownBy(() -> new OllamaProviderFactory().create(config(Map.of("keepalive", "5m"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("keepalive")
                .hasMessageContaining("keep_alive");
        assertThatThrownBy(() -> new OllamaProviderFactory().create(config(Map.of("keep_alive", "five minutes"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("Go duration");
        assertThatThrownBy(() -> new OllamaProviderFactory().create(config(Map.of("think", "maybe"))))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> new OllamaProviderFactory().create(config(Map.of("raw", "yes"))))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> new OllamaProviderFactory().create(config(Map.of("admin_timeout_ms", "0"))))
                .isInstanceOf(ConfigurationException.class);
        for (String ok : new String[] {"5m", "1h30m", "-1", "0", "300", "1.5h"}) {
            new OllamaProviderFactory().create(config(Map.of("keep_alive", ok))).close();
        }
    }

    @Test
    @DisplayName("maxOutputTokens 0 fails fast: Ollama would ignore num_predict 0")
    void zeroOutputTokens() {
        try (OllamaProvider provider = new OllamaProviderFactory().create(config(Map.of()))) {
            var telemetry = Runs.run(provider, Runs.completion(true).maxOutputTokens(0).build()).telemetry();
            assertThat(telemetry.outcome().failureKind()).isEqualTo(dev.orket.api.FailureKind.INVALID_REQUEST);
        }
    }

    @Test
    @DisplayName("FactoryResolver resolves the id")
    void resolver() {
        assertThat(FactoryResolver.provider("ollama")).isInstanceOf(OllamaProviderFactory.class);
    }
}
