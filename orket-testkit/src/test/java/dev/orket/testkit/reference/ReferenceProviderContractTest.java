package dev.orket.testkit.reference;

import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.testkit.ProviderContract;
import dev.orket.simulator.server.ServerDialect;

/** The reference provider passes the whole provider contract, as a provider module's subclass would. */
class ReferenceProviderContractTest extends ProviderContract {

    @Override
    protected InferenceProvider createProvider(ProviderConfig config) {
        return new ReferenceProviderFactory().create(config);
    }

    @Override
    protected ServerDialect dialect() {
        return ServerDialect.LLAMACPP_COMPLETION;
    }
}
