package dev.orket.core.kpi;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The KPIs of one cell computed from one kind of run (valid runs for KPI aggregates).
 *
 * @param key the cell
 * @param rowKind which runs the metrics were computed from
 * @param totalRuns every run of the cell, valid or not
 * @param validRuns runs the valid-run policy admitted
 * @param invalidRuns runs excluded from KPI aggregates
 * @param excludedByReason number of excluded runs per invalid reason (a run counts once under each of its reasons), sorted
 * @param runsWithoutQualityScore runs of this row's kind that had no quality score (absent, never defaulted)
 * @param metrics the distribution of every metric over this row's runs
 * @since 0.1
 */
public record CellKpis(
        CellKey key,
        RowKind rowKind,
        long totalRuns,
        long validRuns,
        long invalidRuns,
        Map<String, Long> excludedByReason,
        long runsWithoutQualityScore,
        Map<Metric, MetricSummary> metrics) {

    public CellKpis {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(rowKind, "rowKind");
        excludedByReason = Collections.unmodifiableMap(new TreeMap<>(excludedByReason));
        EnumMap<Metric, MetricSummary> copy = new EnumMap<>(Metric.class);
        copy.putAll(metrics);
        for (Metric metric : Metric.values()) {
            if (!copy.containsKey(metric)) {
                throw new IllegalArgumentException("metrics lacks " + metric.jsonName());
            }
        }
        metrics = Collections.unmodifiableMap(copy);
        if (validRuns + invalidRuns != totalRuns) {
            throw new IllegalArgumentException("validRuns + invalidRuns must equal totalRuns but were " + validRuns + " + "
                    + invalidRuns + " != " + totalRuns);
        }
    }

    /** The summary of one metric. */
    public MetricSummary metric(Metric metric) {
        MetricSummary summary = metrics.get(metric);
        if (summary == null) {
            throw new AssertionError(metric);
        }
        return summary;
    }

    /** The median of one metric, or null when no run had a value. */
    public @Nullable Double median(Metric metric) {
        return metric(metric).median();
    }

    /** Whether this row was computed from invalid runs (shown only, marked, in views). */
    public boolean invalid() {
        return rowKind == RowKind.INVALID_RUNS;
    }
}
