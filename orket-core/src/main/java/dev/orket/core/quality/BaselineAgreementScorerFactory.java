package dev.orket.core.quality;

/**
 * {@code baseline_agreement}: how closely an output matches the highest-precision quant's output for
 * the same prompt and seed, as normalized token-level edit similarity
 * {@code 1 − levenshtein(a, b) / max(|a|, |b|)} over white-space separated tokens (1 when both are
 * empty). Time O(|a|·|b|), memory O(|b|).
 *
 * @since 0.1
 */
public final class BaselineAgreementScorerFactory implements QualityScorerFactory {

    @Override
    public String id() {
        return "baseline_agreement";
    }

    @Override
    public QualityScorer create(ScorerConfig config) {
        return new QualityScorer() {
            @Override
            public String id() {
                return "baseline_agreement";
            }

            @Override
            public double score(ScoringInput input) {
                String baseline = input.baselineOutput();
                if (baseline == null) {
                    throw new IllegalArgumentException("baseline_agreement needs the baseline (highest-precision quant) "
                            + "output for the same prompt and seed, which is missing");
                }
                return similarity(tokens(input.output()), tokens(baseline));
            }
        };
    }

    static String[] tokens(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? new String[0] : stripped.split("\\s+");
    }

    static double similarity(String[] a, String[] b) {
        int longest = Math.max(a.length, b.length);
        if (longest == 0) {
            return 1.0;
        }
        int[] previous = new int[b.length + 1];
        int[] current = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            current[0] = i;
            for (int j = 1; j <= b.length; j++) {
                int substitution = previous[j - 1] + (a[i - 1].equals(b[j - 1]) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return 1.0 - (double) previous[b.length] / longest;
    }
}
