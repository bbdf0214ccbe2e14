package dev.orket.core.kpi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The distribution of one metric over the runs of one row: nearest-rank median, p10, p90 and p99,
 * and a distribution-free confidence interval for the median. Absent statistics carry a reason.
 *
 * @param metric the metric
 * @param n number of runs that had a value
 * @param median the lower median, or null when {@code n == 0}
 * @param p10 the 10th percentile, or null when {@code n == 0}
 * @param p90 the 90th percentile, or null when {@code n == 0}
 * @param p99 the 99th percentile, or null when {@code n < MIN_RUNS_FOR_P99}
 * @param p99UnavailableReason why p99 is absent, or null
 * @param medianInterval the confidence interval of the median, or null when too few runs
 * @param medianIntervalUnavailableReason why the interval is absent, or null
 * @param estimator how the quantiles were computed
 * @since 0.1
 */
public record MetricSummary(
        Metric metric,
        long n,
        @Nullable Double median,
        @Nullable Double p10,
        @Nullable Double p90,
        @Nullable Double p99,
        @Nullable StatisticUnavailableReason p99UnavailableReason,
        @Nullable MedianInterval medianInterval,
        @Nullable StatisticUnavailableReason medianIntervalUnavailableReason,
        Estimator estimator) {

    /** Runs needed before p99 is reported: with fewer, p99 is just the maximum. */
    public static final long MIN_RUNS_FOR_P99 = 100;

    /** The confidence of every median interval. */
    public static final double CONFIDENCE = 0.95;

    public MetricSummary {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(estimator, "estimator");
        if ((p99 == null) == (p99UnavailableReason == null)) {
            throw new IllegalArgumentException("exactly one of p99 and its unavailable reason must be present");
        }
        if ((medianInterval == null) == (medianIntervalUnavailableReason == null)) {
            throw new IllegalArgumentException("exactly one of medianInterval and its unavailable reason must be present");
        }
    }

    /** The summary of a distribution. */
    public static MetricSummary of(Metric metric, ValueDistribution values) {
        long n = values.count();
        Estimator estimator = values.exact() ? Estimator.EXACT : Estimator.LOG_BUCKET_SKETCH;
        if (n == 0) {
            return new MetricSummary(metric, 0, null, null, null, null, StatisticUnavailableReason.NO_VALUES, null,
                    StatisticUnavailableReason.NO_VALUES, estimator);
        }
        Double p99 = n >= MIN_RUNS_FOR_P99 ? values.quantile(0.99) : null;
        Long lowerRank = OrderStatistics.medianLowerRank(n, CONFIDENCE);
        MedianInterval interval = null;
        if (lowerRank != null) {
            long upperRank = n - lowerRank + 1;
            interval = new MedianInterval(values.orderStatistic(lowerRank), values.orderStatistic(upperRank), CONFIDENCE,
                    OrderStatistics.coverage(n, lowerRank), lowerRank, upperRank);
        }
        return new MetricSummary(metric, n, values.quantile(0.5), values.quantile(0.1), values.quantile(0.9), p99,
                p99 == null ? StatisticUnavailableReason.TOO_FEW_RUNS_FOR_P99 : null, interval,
                interval == null ? StatisticUnavailableReason.TOO_FEW_RUNS_FOR_INTERVAL : null, estimator);
    }
}
