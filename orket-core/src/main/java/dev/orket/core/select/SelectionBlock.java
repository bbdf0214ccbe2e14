package dev.orket.core.select;

import dev.orket.api.JsonNamed;

/**
 * Why a candidate cannot be selected. A figure the summary does not have never meets a constraint:
 * unknown is reported as unknown, never as fitting.
 *
 * @since 0.1
 */
public enum SelectionBlock implements JsonNamed {
    /** No median quality score. */
    QUALITY_UNKNOWN("quality_unknown"),
    /** Median quality score below the floor. */
    BELOW_QUALITY_FLOOR("below_quality_floor"),
    /** No median generation speed. */
    SPEED_UNKNOWN("speed_unknown"),
    /** No median peak VRAM. */
    VRAM_UNKNOWN("vram_unknown"),
    /** Median peak VRAM over the budget. */
    OVER_VRAM_BUDGET("over_vram_budget"),
    /** A latency ceiling was asked and there is no median client TTFT. */
    LATENCY_UNKNOWN("latency_unknown"),
    /** Median client TTFT over the ceiling. */
    OVER_LATENCY_CEILING("over_latency_ceiling"),
    /** A context was asked and the sweep does not say which context the candidate ran at. */
    CONTEXT_UNKNOWN("context_unknown"),
    /** The candidate ran at a smaller context than asked. */
    BELOW_CONTEXT("below_context"),
    /** The context sweep judged this context failed against its profile's thresholds. */
    CONTEXT_FAILED("context_failed");

    private final String jsonName;

    SelectionBlock(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }
}
