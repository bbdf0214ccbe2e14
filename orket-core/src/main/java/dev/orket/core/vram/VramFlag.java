package dev.orket.core.vram;

import dev.orket.api.JsonNamed;

/**
 * What the VRAM analyzer flags on a cell. Informational: a flag never invalidates a run or blocks a
 * recommendation.
 *
 * @since 0.1
 */
public enum VramFlag implements JsonNamed {
    /** The share of the rise over baseline that weights and KV cache do not explain exceeds the threshold. */
    HIGH_UNEXPLAINED_VRAM("high_unexplained_vram"),
    /** VRAM left in use after each run grows by at least the threshold per run: a leak or fragmentation signal. */
    VRAM_GROWTH_OVER_RUNS("vram_growth_over_runs");

    private final String jsonName;

    VramFlag(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }
}
