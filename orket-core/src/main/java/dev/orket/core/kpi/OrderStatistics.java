package dev.orket.core.kpi;

import org.jspecify.annotations.Nullable;

/**
 * The ranks of the distribution-free binomial confidence interval for a median.
 *
 * <p>For {@code n} values and {@code B ~ Binomial(n, 1/2)}, the interval between the order
 * statistics of ranks {@code j} and {@code n − j + 1} covers the median with probability
 * {@code 1 − 2·P(B ≤ j − 1)}. We take the largest {@code j} whose coverage is at least the
 * confidence. Up to {@link #EXACT_BINOMIAL_LIMIT} runs the binomial tail is summed exactly; beyond,
 * the normal approximation {@code j = floor(n/2 − z·√n/2)} is used (its error in coverage is below
 * 10⁻³ there).
 */
public final class OrderStatistics {

    /** Largest {@code n} for which the binomial tail is summed exactly. */
    public static final long EXACT_BINOMIAL_LIMIT = 10_000;

    /** The smallest number of runs for which a 95 % median interval exists: 1 − 2·2⁻⁶ ≥ 0.95. */
    public static final long MIN_RUNS_FOR_95_INTERVAL = 6;

    private OrderStatistics() {}

    /**
     * The 1-based lower rank {@code j} of the median interval, or null when even {@code j = 1} covers
     * less than {@code confidence}.
     */
    public static @Nullable Long medianLowerRank(long n, double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1) but was " + confidence);
        }
        if (n < 1) {
            return null;
        }
        double tail = (1 - confidence) / 2;
        if (n > EXACT_BINOMIAL_LIMIT) {
            double z = normalQuantile(1 - tail);
            return Math.max(1L, (long) Math.floor(n / 2.0 - z * Math.sqrt(n) / 2));
        }
        // P(B <= j - 1) summed term by term in log space: log C(n, i+1) = log C(n, i) + log((n - i) / (i + 1)).
        double logPmf = -n * Math.log(2);
        double cdf = 0;
        long best = 0;
        for (long i = 0; i <= n / 2; i++) {
            cdf += Math.exp(logPmf);
            if (cdf > tail) {
                break;
            }
            best = i + 1;
            logPmf += Math.log((double) (n - i) / (i + 1));
        }
        return best == 0 ? null : best;
    }

    /** The exact coverage {@code 1 − 2·P(B ≤ j − 1)} of ranks j and n − j + 1, by the same method. */
    public static double coverage(long n, long lowerRank) {
        if (n > EXACT_BINOMIAL_LIMIT) {
            double z = (n / 2.0 - (lowerRank - 0.5)) / (Math.sqrt(n) / 2);
            return 1 - 2 * (1 - normalCdf(z));
        }
        double logPmf = -n * Math.log(2);
        double cdf = 0;
        for (long i = 0; i < lowerRank; i++) {
            cdf += Math.exp(logPmf);
            logPmf += Math.log((double) (n - i) / (i + 1));
        }
        return 1 - 2 * cdf;
    }

    private static double normalCdf(double z) {
        // Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7.
        double t = 1 / (1 + 0.3275911 * Math.abs(z) / Math.sqrt(2));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-z * z / 2);
        return z >= 0 ? (1 + y) / 2 : (1 - y) / 2;
    }

    private static double normalQuantile(double p) {
        double low = -10;
        double high = 10;
        for (int i = 0; i < 100; i++) {
            double mid = (low + high) / 2;
            if (normalCdf(mid) < p) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return (low + high) / 2;
    }
}
