package dev.orket.core.quality;

/**
 * {@code exact}: 1 when the output, stripped of leading and trailing white space, equals the
 * expected text (also stripped), else 0.
 *
 * @since 0.1
 */
public final class ExactMatchScorerFactory implements QualityScorerFactory {

    @Override
    public String id() {
        return "exact";
    }

    @Override
    public QualityScorer create(ScorerConfig config) {
        String expected = TextMatching.fold(TextMatching.require(config.expected(), id(), "expected").strip(),
                config.caseSensitive());
        boolean caseSensitive = config.caseSensitive();
        return new QualityScorer() {
            @Override
            public String id() {
                return "exact";
            }

            @Override
            public double score(ScoringInput input) {
                return TextMatching.fold(input.output().strip(), caseSensitive).equals(expected) ? 1.0 : 0.0;
            }
        };
    }
}
