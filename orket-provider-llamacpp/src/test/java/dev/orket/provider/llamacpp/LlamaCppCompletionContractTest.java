package dev.orket.provider.llamacpp;

import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.testkit.ProviderContract;
import dev.orket.simulator.server.ServerDialect;

/** The provider contract over llama-server's native {@code /completion}. */
class LlamaCppCompletionContractTest extends ProviderContract {

    @Override
    protected InferenceProvider createProvider(ProviderConfig config) {
        return new LlamaCppProviderFactory().create(config);
    }

    @Override
    protected ServerDialect dialect() {
        return ServerDialect.LLAMACPP_COMPLETION;
    }
}
