package dev.orket.testkit.reference;

import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.testkit.ProviderContract;
import dev.orket.testkit.server.ServerDialect;
import java.net.URI;

/** The reference provider passes the whole provider contract, as a provider module's subclass would. */
class ReferenceProviderContractTest extends ProviderContract {

    @Override
    protected InferenceProvider createProvider(URI baseUrl) {
        return new ReferenceProviderFactory().create(ProviderConfig.of(baseUrl));
    }

    @Override
    protected ServerDialect dialect() {
        return ServerDialect.LLAMACPP_COMPLETION;
    }
}
