package dev.orket.core.frontier;

import dev.orket.api.JsonNamed;

/**
 * Why a quant is not eligible for the frontier.
 *
 * @since 0.1
 */
public enum IneligibilityReason implements JsonNamed {
    /** The row has no valid run with a quality score. */
    QUALITY_UNAVAILABLE("quality_unavailable"),
    /** No quant of known precision has a quality figure to compare with. */
    BASELINE_QUALITY_UNAVAILABLE("baseline_quality_unavailable"),
    /** Median quality below the ratio times the highest-precision quant's. */
    BELOW_QUALITY_RATIO("below_quality_ratio"),
    /** The row has no generation speed. */
    SPEED_UNAVAILABLE("speed_unavailable"),
    /** A latency ceiling is set and the row has no latency figure. */
    LATENCY_UNAVAILABLE("latency_unavailable"),
    /** Median latency above the ceiling. */
    ABOVE_LATENCY_CEILING("above_latency_ceiling");

    private final String jsonName;

    IneligibilityReason(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }
}
