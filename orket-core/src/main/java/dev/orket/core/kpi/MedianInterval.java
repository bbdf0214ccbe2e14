package dev.orket.core.kpi;

/**
 * A distribution-free confidence interval for a median: the order statistics of 1-based ranks
 * {@code lowerRank} and {@code upperRank = n − lowerRank + 1}, which cover the true median with
 * probability {@code coverage ≥ confidence} whatever the distribution (see {@code docs/kpis.md}).
 *
 * @param lower the lower bound, in the metric's unit
 * @param upper the upper bound, in the metric's unit
 * @param confidence the confidence asked for, e.g. 0.95
 * @param coverage the exact binomial coverage of the chosen ranks, at least {@code confidence}
 * @param lowerRank the 1-based rank of the lower bound
 * @param upperRank the 1-based rank of the upper bound
 * @since 0.1
 */
public record MedianInterval(
        double lower, double upper, double confidence, double coverage, long lowerRank, long upperRank) {

    public MedianInterval {
        if (!(lower <= upper)) {
            throw new IllegalArgumentException("lower must be <= upper but was " + lower + " > " + upper);
        }
        if (lowerRank < 1 || upperRank < lowerRank) {
            throw new IllegalArgumentException("ranks must satisfy 1 <= lower <= upper but were " + lowerRank + ", "
                    + upperRank);
        }
    }

    /** Whether this interval and {@code other} share at least one point. */
    public boolean overlaps(MedianInterval other) {
        return lower <= other.upper && other.lower <= upper;
    }
}
