package dev.orket.core.quality;

/**
 * {@code contains}: 1 when the output contains the expected text, else 0.
 *
 * @since 0.1
 */
public final class ContainsScorerFactory implements QualityScorerFactory {

    @Override
    public String id() {
        return "contains";
    }

    @Override
    public QualityScorer create(ScorerConfig config) {
        String expected = TextMatching.fold(TextMatching.require(config.expected(), id(), "expected"),
                config.caseSensitive());
        boolean caseSensitive = config.caseSensitive();
        return new QualityScorer() {
            @Override
            public String id() {
                return "contains";
            }

            @Override
            public double score(ScoringInput input) {
                return TextMatching.fold(input.output(), caseSensitive).contains(expected) ? 1.0 : 0.0;
            }
        };
    }
}
