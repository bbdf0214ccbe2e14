package dev.orket.core.sweep;

import org.jspecify.annotations.Nullable;

/**
 * The controls every measured run passes to the server and records, so that runs are repeatable.
 *
 * @param seed the sampling seed
 * @param threads the server's thread count, or null to leave the server's choice (recorded as such)
 * @param affinityPolicy the CPU affinity policy label (e.g. {@code compact}, {@code none})
 * @param temperature the sampling temperature
 * @since 0.1
 */
public record ExperimentalControls(long seed, @Nullable Integer threads, String affinityPolicy, double temperature) {

    public ExperimentalControls {
        if (threads != null && threads <= 0) {
            throw new IllegalArgumentException("threads must be > 0 but was " + threads);
        }
        if (temperature < 0) {
            throw new IllegalArgumentException("temperature must be >= 0 but was " + temperature);
        }
    }
}
