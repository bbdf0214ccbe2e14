package dev.orket.provider.ollama;

import dev.orket.api.Capability;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.ProviderFactory;
import java.util.Objects;
import java.util.Set;

/**
 * Makes {@link OllamaProvider}s; registered for {@link java.util.ServiceLoader} under id {@code ollama}.
 *
 * @since 0.1
 */
public final class OllamaProviderFactory implements ProviderFactory {

    /** The provider id. */
    public static final String ID = "ollama";

    static final Set<Capability> CAPABILITIES = Set.of(Capability.STREAMING, Capability.NON_STREAMING,
            Capability.SERVER_TIMINGS, Capability.TOKEN_COUNTS, Capability.MODEL_LISTING);

    /** Does nothing: discovery instantiates every factory. */
    public OllamaProviderFactory() {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /**
     * Creates a provider for the Ollama server at {@code config.baseUrl()}, e.g. {@code http://127.0.0.1:11434}.
     *
     * @throws dev.orket.api.ConfigurationException when a setting is unknown or invalid, or
     *     {@code endpoint=openai} is set (see {@link OllamaSettings})
     */
    @Override
    public OllamaProvider create(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        return new OllamaProvider(config);
    }
}
