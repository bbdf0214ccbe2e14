package dev.orket.provider.openai;

import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.testkit.ProviderContract;
import dev.orket.simulator.server.ServerDialect;

/**
 * The whole provider contract over llama-server's {@code POST /v1/chat/completions} through the testkit's built-in
 * dialect: durations from llama-server's {@code timings}, the error bodies and routes of llama-server.
 */
class OpenAiOnLlamaServerChatContractTest extends ProviderContract {

    @Override
    protected InferenceProvider createProvider(ProviderConfig config) {
        return new OpenAiProviderFactory().create(config);
    }

    @Override
    protected ServerDialect dialect() {
        return ServerDialect.LLAMACPP_CHAT;
    }
}
