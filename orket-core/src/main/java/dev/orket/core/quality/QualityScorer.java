package dev.orket.core.quality;

/**
 * Scores one output of a prompt session in [0, 1]. Created configured by its
 * {@link QualityScorerFactory}; stateless and thread-safe.
 *
 * <p>This SPI could move to {@code dev.orket.api.spi} unchanged: it depends on nothing but its own
 * value types.
 *
 * @since 0.1
 */
public interface QualityScorer {

    /** The id of the factory that made this scorer, e.g. {@code exact}. */
    String id();

    /**
     * The score of one output, in [0, 1].
     *
     * @throws IllegalArgumentException when the input lacks what this scorer needs (e.g. a baseline output)
     */
    double score(ScoringInput input);
}
