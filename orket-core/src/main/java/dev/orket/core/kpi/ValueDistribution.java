package dev.orket.core.kpi;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The values of one metric in one cell: kept exactly (a primitive array) up to {@link #EXACT_LIMIT}
 * values, then folded into a {@link LogBucketSketch} of relative accuracy
 * {@link #SKETCH_RELATIVE_ACCURACY}, so memory per cell is bounded whatever the number of runs.
 * Quantiles use the nearest-rank definition: the {@code q}-quantile of {@code n} values is the
 * order statistic of 1-based rank {@code max(1, ceil(q·n))}; the median is therefore the lower
 * median, always an observed value when exact.
 */
public final class ValueDistribution {

    /** Values kept exactly per metric and cell before the sketch takes over. */
    public static final int EXACT_LIMIT = 1024;

    /** Relative error bound of every quantile once a cell has more than {@link #EXACT_LIMIT} values. */
    public static final double SKETCH_RELATIVE_ACCURACY = 0.005;

    private double @Nullable [] values = new double[8];
    private int size;
    private boolean sorted = true;
    private @Nullable LogBucketSketch sketch;

    /**
     * Adds one value.
     *
     * @throws IllegalArgumentException when the value is negative or not finite
     */
    public void add(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("value must be finite and >= 0 but was " + value);
        }
        LogBucketSketch s = sketch;
        if (s != null) {
            s.add(value);
            return;
        }
        double[] v = values;
        if (v == null) {
            throw new AssertionError("no values and no sketch");
        }
        if (size == v.length) {
            if (size >= EXACT_LIMIT) {
                LogBucketSketch created = new LogBucketSketch(SKETCH_RELATIVE_ACCURACY);
                for (int i = 0; i < size; i++) {
                    created.add(v[i]);
                }
                created.add(value);
                sketch = created;
                values = null;
                return;
            }
            v = Arrays.copyOf(v, Math.min(EXACT_LIMIT, v.length * 2));
            values = v;
        }
        if (size > 0 && value < v[size - 1]) {
            sorted = false;
        }
        v[size++] = value;
    }

    /**
     * Adds every value of {@code other}, leaving it unchanged. The result is the distribution that
     * adding the same values one by one would give: exact while the total stays within
     * {@link #EXACT_LIMIT} (order statistics do not depend on the order values came in), else one
     * sketch whose bucket counts are those of the values, whatever their order.
     */
    public void merge(ValueDistribution other) {
        LogBucketSketch otherSketch = other.sketch;
        double[] otherValues = other.values;
        if (sketch == null && otherSketch == null && otherValues != null && size + other.size <= EXACT_LIMIT) {
            for (int i = 0; i < other.size; i++) {
                add(otherValues[i]);
            }
            return;
        }
        LogBucketSketch merged = sketch;
        if (merged == null) {
            merged = new LogBucketSketch(SKETCH_RELATIVE_ACCURACY);
            double[] v = values;
            if (v == null) {
                throw new AssertionError("no values and no sketch");
            }
            for (int i = 0; i < size; i++) {
                merged.add(v[i]);
            }
            sketch = merged;
            values = null;
            size = 0;
        }
        if (otherSketch != null) {
            merged.merge(otherSketch);
        } else if (otherValues != null) {
            for (int i = 0; i < other.size; i++) {
                merged.add(otherValues[i]);
            }
        }
    }

    /** Number of values added. */
    public long count() {
        LogBucketSketch s = sketch;
        return s != null ? s.count() : size;
    }

    /** Whether quantiles are exact order statistics (else within {@link #SKETCH_RELATIVE_ACCURACY}). */
    public boolean exact() {
        return sketch == null;
    }

    /**
     * The order statistic of the given 1-based rank.
     *
     * @throws IllegalArgumentException when the rank is outside {@code [1, count]}
     */
    public double orderStatistic(long rank) {
        long n = count();
        if (rank < 1 || rank > n) {
            throw new IllegalArgumentException("rank must be in [1, " + n + "] but was " + rank);
        }
        LogBucketSketch s = sketch;
        if (s != null) {
            return s.valueAtRank(rank - 1);
        }
        double[] v = values;
        if (v == null) {
            throw new AssertionError("no values and no sketch");
        }
        if (!sorted) {
            Arrays.sort(v, 0, size);
            sorted = true;
        }
        return v[(int) rank - 1];
    }

    /** The nearest-rank 1-based rank of quantile {@code q} among {@code n} values. */
    public static long nearestRank(double q, long n) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("q must be in [0, 1] but was " + q);
        }
        return Math.max(1, Math.min(n, (long) Math.ceil(q * n - 1e-9)));
    }

    /**
     * The nearest-rank quantile.
     *
     * @throws IllegalStateException when there are no values
     */
    public double quantile(double q) {
        long n = count();
        if (n == 0) {
            throw new IllegalStateException("no values");
        }
        return orderStatistic(nearestRank(q, n));
    }
}
