package dev.orket.core.policy;

import java.util.Objects;

/**
 * The thresholds that decide a run's quality, versioned so that a summary can say which policy
 * judged its runs. Documented in {@code docs/policy.md}; change a default only with a new version.
 *
 * @param version the policy version recorded in summaries
 * @param maxOrchestrationOverheadRatio overhead ratio above which a run is {@code HIGH_ORCHESTRATION_OVERHEAD}
 * @param coldLoadThresholdMs server load time above which a measured run is {@code COLD_MODEL_LOAD}, in ms
 * @param maxSystemLoadPerCore one-minute load average per core above which a run is {@code HIGH_SYSTEM_LOAD}
 * @since 0.1
 */
public record RunPolicy(
        String version, double maxOrchestrationOverheadRatio, double coldLoadThresholdMs, double maxSystemLoadPerCore) {

    /** The shipped policy. */
    public static final RunPolicy DEFAULT = new RunPolicy("1", 0.25, 500.0, 1.0);

    public RunPolicy {
        Objects.requireNonNull(version, "version");
        if (!(maxOrchestrationOverheadRatio > 0 && maxOrchestrationOverheadRatio <= 1)) {
            throw new IllegalArgumentException(
                    "maxOrchestrationOverheadRatio must be in (0, 1] but was " + maxOrchestrationOverheadRatio);
        }
        if (!(coldLoadThresholdMs >= 0)) {
            throw new IllegalArgumentException("coldLoadThresholdMs must be >= 0 but was " + coldLoadThresholdMs);
        }
        if (!(maxSystemLoadPerCore > 0)) {
            throw new IllegalArgumentException("maxSystemLoadPerCore must be > 0 but was " + maxSystemLoadPerCore);
        }
    }
}
