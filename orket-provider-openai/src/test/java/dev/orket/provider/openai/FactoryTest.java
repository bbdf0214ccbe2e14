package dev.orket.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.Capability;
import dev.orket.api.ConfigurationException;
import dev.orket.api.spi.FactoryResolver;
import dev.orket.api.spi.ProviderConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The factory: found by id, declares what always works, refuses a bad configuration naming the key and the fix. */
class FactoryTest {

    private static ProviderConfig config(String baseUrl, Map<String, String> settings) {
        return new ProviderConfig(URI.create(baseUrl), null, Duration.ofSeconds(5), settings);
    }

    @Test
    @DisplayName("is found by the id openai and declares streaming, whole bodies, token counts and model listing")
    void discovery() {
        assertThat(FactoryResolver.provider("openai")).isInstanceOf(OpenAiProviderFactory.class);
        assertThat(new OpenAiProviderFactory().capabilities()).containsExactlyInAnyOrder(Capability.STREAMING,
                Capability.NON_STREAMING, Capability.TOKEN_COUNTS, Capability.MODEL_LISTING);
    }

    @Test
    @DisplayName("refuses a base URL that already ends with the API prefix, naming the root to give")
    void baseUrlWithPrefix() {
        assertThatThrownBy(() -> new OpenAiProviderFactory().create(config("http://127.0.0.1:8000/v1/", Map.of())))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("already ends with the API prefix '/v1'")
                .hasMessageContaining("http://127.0.0.1:8000/");
        // With another prefix the same URL is the server's root under a proxy path.
        assertThat(new OpenAiProviderFactory().create(config("http://127.0.0.1:8000/v1",
                Map.of(OpenAiProviderFactory.API_PREFIX, "/openai/v1"))).toString())
                .isEqualTo("OpenAiProvider[http://127.0.0.1:8000/v1/openai/v1]");
    }

    @Test
    @DisplayName("refuses unknown settings and bad values, naming the key")
    void badSettings() {
        OpenAiProviderFactory factory = new OpenAiProviderFactory();
        assertThatThrownBy(() -> factory.create(config("http://h:1", Map.of("apiprefix", "/v1"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("Unknown openai setting 'apiprefix'")
                .hasMessageContaining("api_prefix");
        assertThatThrownBy(() -> factory.create(config("http://h:1", Map.of("api_prefix", "v1/"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'v1/'");
        assertThatThrownBy(() -> factory.create(config("http://h:1", Map.of("max_event_bytes", "-3"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("max_event_bytes")
                .hasMessageContaining("'-3'");
        assertThatThrownBy(() -> factory.create(config("http://h:1", Map.of("max_body_bytes", "lots"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("max_body_bytes");
        assertThatThrownBy(() -> factory.create(config("http://h:1", Map.of("cold_cache", "salt"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("cold_cache")
                .hasMessageContaining("'salt'");
        assertThat(factory.create(config("http://h:1", Map.of("api_prefix", "", "cold_cache", "CACHE_SALT",
                "max_event_bytes", "1024", "max_body_bytes", "2048"))).toString()).isEqualTo("OpenAiProvider[http://h:1]");
    }
}
