package dev.orket.core.sweep;

import java.time.Duration;

/**
 * Before each measured run, wait (bounded) until the GPU is under the target temperature with no
 * thermal slowdown active; a run that starts unsettled is tagged {@code THERMAL_NOT_SETTLED}.
 *
 * @param enabled whether the gate runs
 * @param targetC the temperature to get under, in °C
 * @param maxWait the longest the gate waits
 * @param pollInterval time between samples while waiting
 * @param cooldownBetweenCells a pause between cells
 * @since 0.1
 */
public record ThermalGate(boolean enabled, double targetC, Duration maxWait, Duration pollInterval,
        Duration cooldownBetweenCells) {

    /** A disabled gate. */
    public static final ThermalGate DISABLED =
            new ThermalGate(false, 80.0, Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO);

    public ThermalGate {
        if (maxWait.isNegative() || pollInterval.isNegative() || pollInterval.isZero()
                || cooldownBetweenCells.isNegative()) {
            throw new IllegalArgumentException("thermal gate durations must be >= 0 and poll interval > 0");
        }
    }
}
