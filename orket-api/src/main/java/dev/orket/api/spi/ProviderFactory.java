package dev.orket.api.spi;

import dev.orket.api.Capability;
import java.util.Set;

/**
 * Creates {@link InferenceProvider}s; found by {@link java.util.ServiceLoader}.
 *
 * <p>Register an implementation in {@code META-INF/services/dev.orket.api.spi.ProviderFactory}.
 * It must have a public no-arg constructor that does nothing: discovery instantiates every factory
 * on the class path.
 *
 * @since 0.1
 */
public interface ProviderFactory {

    /** The SPI version this build of Orket implements. */
    int SPI_VERSION = 1;

    /** The stable lowercase id users select the provider by, e.g. {@code llamacpp}, {@code ollama}. */
    String id();

    /** The SPI version the factory was written against. */
    default int spiVersion() {
        return SPI_VERSION;
    }

    /** What providers from this factory can do. */
    Set<Capability> capabilities();

    /**
     * Creates a provider talking to the server in the configuration. Does no I/O.
     *
     * @throws dev.orket.api.ConfigurationException when the configuration is unusable, naming the key
     */
    InferenceProvider create(ProviderConfig config);
}
