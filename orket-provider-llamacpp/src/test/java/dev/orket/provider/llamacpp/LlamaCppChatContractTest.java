package dev.orket.provider.llamacpp;

import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.testkit.ProviderContract;
import dev.orket.testkit.server.ServerDialect;
import java.net.URI;

/** The provider contract over llama-server's OpenAI-compatible {@code /v1/chat/completions}. */
class LlamaCppChatContractTest extends ProviderContract {

    @Override
    protected InferenceProvider createProvider(URI baseUrl) {
        return new LlamaCppProviderFactory().create(ProviderConfig.of(baseUrl));
    }

    @Override
    protected ServerDialect dialect() {
        return ServerDialect.LLAMACPP_CHAT;
    }
}
