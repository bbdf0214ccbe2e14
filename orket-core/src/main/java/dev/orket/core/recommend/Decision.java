package dev.orket.core.recommend;

import dev.orket.api.JsonNamed;

/**
 * What decided a recommendation.
 *
 * @since 0.1
 */
public enum Decision implements JsonNamed {
    /** One eligible frontier candidate only; the runner-up, when there is one, is the best eligible quant it dominates. */
    ONLY_CANDIDATE("only_candidate"),
    /** The winner is faster and the speed intervals do not overlap. */
    SPEED("speed"),
    /** Speed is within noise and the winner's quality interval lies above the runner-up's. */
    QUALITY("quality"),
    /** Speed and quality are within noise (or their intervals are unavailable): the smaller VRAM footprint wins. */
    SMALLER_VRAM_WITHIN_NOISE("smaller_vram_within_noise"),
    /** Speed and quality are within noise and VRAM does not separate them: the ranking decides. */
    RANKING_WITHIN_NOISE("ranking_within_noise");

    private final String jsonName;

    Decision(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }
}
