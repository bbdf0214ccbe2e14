package dev.orket.core.kpi;

import java.util.Arrays;

/**
 * A mergeable quantile sketch over non-negative values with a relative-error guarantee, in the
 * style of DDSketch: value {@code v > 0} is counted in bucket {@code i = ceil(log_γ v)} with
 * {@code γ = (1 + α) / (1 − α)}, and a rank query answers {@code 2γ^i / (γ + 1)}, which is within
 * {@code α·v} of every value in that bucket. Values below {@link #ZERO_THRESHOLD} count as zero.
 * Memory is one {@code long} per bucket between the smallest and largest value seen
 * ({@code ln(max/min) / ln γ} buckets: about 1,400 for six decades at α = 0.5 %), independent of
 * the number of values.
 */
final class LogBucketSketch {

    /** Values below this count as exactly zero. */
    static final double ZERO_THRESHOLD = 1e-9;

    private final double relativeAccuracy;
    private final double logGamma;
    private final double gamma;
    private long zeroCount;
    private long count;
    private long[] buckets = new long[0];
    private int minIndex;

    LogBucketSketch(double relativeAccuracy) {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
            throw new IllegalArgumentException("relativeAccuracy must be in (0, 1) but was " + relativeAccuracy);
        }
        this.relativeAccuracy = relativeAccuracy;
        this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        this.logGamma = Math.log(gamma);
    }

    double relativeAccuracy() {
        return relativeAccuracy;
    }

    long count() {
        return count;
    }

    void add(double value) {
        addCount(value, 1);
    }

    private void addCount(double value, long n) {
        count += n;
        if (value < ZERO_THRESHOLD) {
            zeroCount += n;
            return;
        }
        addAtIndex((int) Math.ceil(Math.log(value) / logGamma), n);
    }

    private void addAtIndex(int index, long n) {
        if (buckets.length == 0) {
            buckets = new long[16];
            minIndex = index - 8;
        } else if (index < minIndex || index >= minIndex + buckets.length) {
            int low = Math.min(minIndex, index);
            int high = Math.max(minIndex + buckets.length - 1, index);
            int size = Math.max(high - low + 1, buckets.length * 3 / 2);
            long[] grown = new long[size];
            System.arraycopy(buckets, 0, grown, minIndex - low, buckets.length);
            buckets = grown;
            minIndex = low;
        }
        buckets[index - minIndex] += n;
    }

    /** Adds every value counted by {@code other}; both must share the relative accuracy. */
    void merge(LogBucketSketch other) {
        if (other.relativeAccuracy != relativeAccuracy) {
            throw new IllegalArgumentException("cannot merge sketches of relative accuracy " + relativeAccuracy + " and "
                    + other.relativeAccuracy);
        }
        count += other.zeroCount;
        zeroCount += other.zeroCount;
        for (int i = 0; i < other.buckets.length; i++) {
            if (other.buckets[i] > 0) {
                count += other.buckets[i];
                addAtIndex(other.minIndex + i, other.buckets[i]);
            }
        }
    }

    /** The value of the given 0-based rank in ascending order, within the relative accuracy. */
    double valueAtRank(long rank) {
        if (rank < 0 || rank >= count) {
            throw new IllegalArgumentException("rank must be in [0, " + count + ") but was " + rank);
        }
        long seen = zeroCount;
        if (rank < seen) {
            return 0.0;
        }
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (rank < seen) {
                return 2 * Math.pow(gamma, minIndex + i) / (gamma + 1);
            }
        }
        throw new AssertionError("rank " + rank + " beyond count " + count + " in " + Arrays.toString(buckets));
    }
}
