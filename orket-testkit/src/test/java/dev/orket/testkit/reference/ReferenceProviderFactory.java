package dev.orket.testkit.reference;

import dev.orket.api.Capability;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.ProviderFactory;
import java.util.EnumSet;
import java.util.Set;

/** Finds the reference provider by id {@code testkit-reference}. */
public final class ReferenceProviderFactory implements ProviderFactory {

    public static final String ID = "testkit-reference";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public InferenceProvider create(ProviderConfig config) {
        return new ReferenceProvider(config, capabilities());
    }
}
