package dev.orket.api;

import java.util.List;

/**
 * Whether a run may enter KPI aggregates, with the sorted reasons when it may not.
 *
 * @param valid whether the run completed, its token metrics are OK and its quality is CLEAN
 * @param invalidReasons sorted codes such as {@code terminal_state:FAILED}, {@code token_metrics:TIMING_UNAVAILABLE},
 *     {@code run_quality:PROMPT_CACHE_HIT}; empty when valid
 * @since 0.1
 */
public record RunValidity(boolean valid, List<String> invalidReasons) {

    public RunValidity {
        invalidReasons = List.copyOf(invalidReasons);
        if (valid != invalidReasons.isEmpty()) {
            throw new IllegalArgumentException(
                    "a valid run has no invalid reasons and an invalid one at least one; valid " + valid
                            + ", reasons " + invalidReasons);
        }
    }
}
