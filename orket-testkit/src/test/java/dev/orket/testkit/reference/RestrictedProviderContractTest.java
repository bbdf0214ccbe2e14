package dev.orket.testkit.reference;

import dev.orket.api.Capability;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.testkit.ProviderContract;
import dev.orket.simulator.server.ServerDialect;
import java.util.EnumSet;

/** A provider declaring only streaming: the contract checks that what it does not declare fails honestly. */
class RestrictedProviderContractTest extends ProviderContract {

    @Override
    protected InferenceProvider createProvider(ProviderConfig config) {
        return new ReferenceProvider(config,
                EnumSet.of(Capability.STREAMING, Capability.SERVER_TIMINGS, Capability.TOKEN_COUNTS));
    }

    @Override
    protected ServerDialect dialect() {
        return ServerDialect.LLAMACPP_COMPLETION;
    }

    @Override
    protected boolean supportsDiscovery() {
        return false;
    }
}
