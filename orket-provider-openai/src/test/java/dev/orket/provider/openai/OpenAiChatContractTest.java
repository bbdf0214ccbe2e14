package dev.orket.provider.openai;

import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.testkit.ProviderContract;
import dev.orket.simulator.server.ServerDialect;

/**
 * The whole provider contract over {@code POST /v1/chat/completions} through {@link VllmDialect}, the wire format this module
 * registers itself: counts from {@code usage}, durations from vLLM's per-request {@code metrics}.
 */
class OpenAiChatContractTest extends ProviderContract {

    @Override
    protected InferenceProvider createProvider(ProviderConfig config) {
        return new OpenAiProviderFactory().create(config);
    }

    @Override
    protected ServerDialect dialect() {
        return VllmDialect.CHAT;
    }
}
