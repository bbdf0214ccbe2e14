package dev.orket.testkit.reference;

import dev.orket.api.Capability;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.testkit.ProviderContract;
import dev.orket.simulator.server.ServerDialect;
import java.util.EnumSet;

/** The reference provider speaking OLLAMA_GENERATE passes the provider contract (no factory: discovery off). */
class OllamaGenerateProviderContractTest extends ProviderContract {

    @Override
    protected InferenceProvider createProvider(ProviderConfig config) {
        return new ReferenceProvider(config, EnumSet.allOf(Capability.class), dialect());
    }

    @Override
    protected ServerDialect dialect() {
        return ServerDialect.OLLAMA_GENERATE;
    }

    @Override
    protected boolean supportsDiscovery() {
        return false;
    }
}
