package dev.orket.testkit.reference;

import dev.orket.api.Capability;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.testkit.ProviderContract;
import dev.orket.simulator.server.ServerDialect;
import java.util.EnumSet;

/** The reference provider speaking LLAMACPP_CHAT passes the provider contract (no factory: discovery off). */
class OpenAiChatProviderContractTest extends ProviderContract {

    @Override
    protected InferenceProvider createProvider(ProviderConfig config) {
        return new ReferenceProvider(config, EnumSet.allOf(Capability.class), dialect());
    }

    @Override
    protected ServerDialect dialect() {
        return ServerDialect.LLAMACPP_CHAT;
    }

    @Override
    protected boolean supportsDiscovery() {
        return false;
    }
}
