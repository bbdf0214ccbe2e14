package dev.orket.core.sweep;

import org.jspecify.annotations.Nullable;

/**
 * The controls every measured run passes to the server and records, so that runs are repeatable.
 *
 * @param seed the sampling seed
 * @param threads the server's thread count, or null to leave the server's choice (recorded as such)
 * @param affinityPolicy the CPU set a managed server is pinned to: {@code none}, {@code compact}, {@code spread}
 *     or a CPU list such as {@code 0-3,6} ({@link dev.orket.core.host.CpuAffinity}); a server Orket did not start
 *     cannot be pinned, which a {@code lab} run records as a control not applied
 * @param temperature the sampling temperature
 * @since 0.1
 */
public record ExperimentalControls(long seed, @Nullable Integer threads, String affinityPolicy, double temperature) {

    public ExperimentalControls {
        if (threads != null && threads <= 0) {
            throw new IllegalArgumentException("threads must be > 0 but was " + threads);
        }
        java.util.Objects.requireNonNull(affinityPolicy, "affinityPolicy");
        if (!dev.orket.core.host.CpuAffinity.isValid(affinityPolicy)) {
            throw new IllegalArgumentException("affinity_policy must be none, compact, spread or a CPU list such as"
                    + " 0-3,6 but was '" + affinityPolicy + "'");
        }
        if (temperature < 0) {
            throw new IllegalArgumentException("temperature must be >= 0 but was " + temperature);
        }
    }
}
