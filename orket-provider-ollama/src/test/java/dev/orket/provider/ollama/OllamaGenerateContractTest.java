package dev.orket.provider.ollama;

import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.testkit.ProviderContract;
import dev.orket.testkit.server.ServerDialect;
import java.net.URI;

/** The provider contract over {@code /api/generate}, streaming and not. */
class OllamaGenerateContractTest extends ProviderContract {

    @Override
    protected InferenceProvider createProvider(URI baseUrl) {
        return new OllamaProviderFactory().create(ProviderConfig.of(baseUrl));
    }

    @Override
    protected ServerDialect dialect() {
        return ServerDialect.OLLAMA_GENERATE;
    }
}
