package dev.orket.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orket.api.Capability;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.simulator.server.Faults;
import java.net.URI;

/** What every group of {@link ProviderContract} shares: the contract instance and its harness. */
abstract class ContractGroup {

    abstract ProviderContract contract();

    /** A fresh harness: virtual clock at zero, scripted server, the provider under test. */
    ContractRun run() {
        return new ContractRun(contract(), null);
    }

    /** A harness whose provider points at a port nothing listens on. */
    ContractRun runAgainstRefusedPort() {
        URI refused = Faults.refusedConnectionUri();
        return new ContractRun(contract(), refused);
    }

    /** Skips the check unless the provider declares the capability. */
    void assumeDeclared(Capability capability) {
        assumeTrue(declares(capability), "the provider does not declare " + capability.jsonName());
    }

    /** Whether the provider declares the capability. */
    boolean declares(Capability capability) {
        try (InferenceProvider provider = contract().createProvider(contract().config(URI.create("http://127.0.0.1:9")))) {
            return provider.capabilities().contains(capability);
        }
    }

    static void assertNoLockstepMisses(ContractRun run) {
        assertThat(run.server().lockstepMisses())
                .as("the scripted server waited in vain for the client to record an event; the provider reports"
                        + " events late or not at all (docs/testkit.md, lock-step timing)")
                .isEmpty();
    }
}
