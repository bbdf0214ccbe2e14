package dev.orket.testkit.sidecar;

import dev.orket.api.spi.InferenceProvider;
import dev.orket.testkit.VirtualClock;

/** Hands the package-private test provider to tests in other packages. */
public final class ScriptedSidecarAccess {

    private ScriptedSidecarAccess() {}

    public static InferenceProvider fixedProvider(VirtualClock clock) {
        return new FixedProvider(clock);
    }
}
