package dev.orket.core.policy;

import java.util.Objects;

/**
 * The thresholds that decide a run's quality, versioned so that a summary can say which policy
 * judged its runs. Documented in {@code docs/policy.md}; change a default only with a new version.
 *
 * @param version the policy version recorded in summaries
 * @param maxOrchestrationOverheadRatio overhead ratio above which a run is {@code HIGH_ORCHESTRATION_OVERHEAD}
 * @param coldLoadThresholdMs server load time above which a measured run is {@code COLD_MODEL_LOAD}, in ms
 * @param maxSystemLoadPerCore one-minute load average per core, beyond the cores the measured server and Orket
 *     kept busy, above which a run is {@code HIGH_SYSTEM_LOAD}
 * @param maxForeignCpuPercent share of the host's CPU (percent of every core) that processes other than the
 *     measured server's and Orket's may use during a run before it is {@code HIGH_CPU_SATURATION}
 * @since 0.1
 */
public record RunPolicy(
        String version,
        double maxOrchestrationOverheadRatio,
        double coldLoadThresholdMs,
        double maxSystemLoadPerCore,
        double maxForeignCpuPercent) {

    /**
     * The shipped policy, version 2: version 1 plus host contention ({@code HIGH_CPU_SATURATION} above 10 %
     * foreign CPU; {@code HIGH_SYSTEM_LOAD} now judges only the load the measured server and Orket do not
     * explain).
     */
    public static final RunPolicy DEFAULT = new RunPolicy("2", 0.25, 500.0, 1.0, 10.0);

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
        if (!(maxForeignCpuPercent >= 0 && maxForeignCpuPercent <= 100)) {
            throw new IllegalArgumentException("maxForeignCpuPercent must be in [0, 100] but was " + maxForeignCpuPercent);
        }
    }

    /** A policy with the default host-contention threshold (10 % foreign CPU). */
    public RunPolicy(String version, double maxOrchestrationOverheadRatio, double coldLoadThresholdMs,
            double maxSystemLoadPerCore) {
        this(version, maxOrchestrationOverheadRatio, coldLoadThresholdMs, maxSystemLoadPerCore, 10.0);
    }
}
