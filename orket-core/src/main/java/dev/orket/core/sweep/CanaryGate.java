package dev.orket.core.sweep;

import org.jspecify.annotations.Nullable;

/**
 * The first cell's canary runs must meet these thresholds or the sweep stops before spending hours.
 *
 * @param runs canary runs (0 disables the gate)
 * @param latencyVarianceThreshold the largest coefficient of variation of internal model seconds accepted
 * @param adherenceThreshold the smallest median quality score accepted
 * @param latencyCeilingMs the largest median wall time in ms accepted, or null for none
 * @since 0.1
 */
public record CanaryGate(int runs, double latencyVarianceThreshold, double adherenceThreshold,
        @Nullable Double latencyCeilingMs) {

    /** The Python Orket's defaults: 10 runs, CV ≤ 0.03, adherence ≥ 0.95, no ceiling. */
    public static final CanaryGate DEFAULT = new CanaryGate(10, 0.03, 0.95, null);

    public CanaryGate {
        if (runs < 0) {
            throw new IllegalArgumentException("canary runs must be >= 0 but was " + runs);
        }
        if (!(latencyVarianceThreshold >= 0)) {
            throw new IllegalArgumentException("latency variance threshold must be >= 0 but was "
                    + latencyVarianceThreshold);
        }
        if (!(adherenceThreshold >= 0 && adherenceThreshold <= 1)) {
            throw new IllegalArgumentException("adherence threshold must be in [0, 1] but was " + adherenceThreshold);
        }
    }
}
