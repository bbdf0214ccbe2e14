package dev.orket.testkit.example;

import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.testkit.ProviderContract;
import dev.orket.simulator.server.ServerDialect;

/** A provider of a server Orket does not ship passes the whole provider contract through its own dialect. */
class LineJsonContractTest extends ProviderContract {

    @Override
    protected InferenceProvider createProvider(ProviderConfig config) {
        return new LineJsonProvider(config);
    }

    @Override
    protected ServerDialect dialect() {
        return new LineJsonDialect();
    }

    @Override
    protected boolean supportsDiscovery() {
        // Registered for ServiceLoader in a real module; this example has no factory.
        return false;
    }
}
