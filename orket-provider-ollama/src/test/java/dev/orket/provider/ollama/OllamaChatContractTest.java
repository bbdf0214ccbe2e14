package dev.orket.provider.ollama;

import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.testkit.ProviderContract;
import dev.orket.simulator.server.ServerDialect;

/** The provider contract over {@code /api/chat}, streaming and not. */
class OllamaChatContractTest extends ProviderContract {

    @Override
    protected InferenceProvider createProvider(ProviderConfig config) {
        return new OllamaProviderFactory().create(config);
    }

    @Override
    protected ServerDialect dialect() {
        return ServerDialect.OLLAMA_CHAT;
    }
}
