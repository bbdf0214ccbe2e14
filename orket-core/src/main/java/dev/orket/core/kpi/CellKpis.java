package dev.orket.core.kpi;

import dev.orket.api.HardwareFlag;
import dev.orket.api.ThrottleReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
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
 * @param hardwareFlagRuns the number of this row's runs carrying each advisory hardware flag (flags no run carried
 *     are absent)
 * @param throttleReasonsSeen every clock event reason the sidecar saw in this row's runs, sorted
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
        Map<Metric, MetricSummary> metrics,
        Map<HardwareFlag, Long> hardwareFlagRuns,
        List<ThrottleReason> throttleReasonsSeen) {

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
        EnumMap<HardwareFlag, Long> flags = new EnumMap<>(HardwareFlag.class);
        flags.putAll(hardwareFlagRuns);
        hardwareFlagRuns = Collections.unmodifiableMap(flags);
        throttleReasonsSeen = throttleReasonsSeen.stream().distinct()
                .sorted(java.util.Comparator.comparing(ThrottleReason::jsonName)).toList();
        if (validRuns + invalidRuns != totalRuns) {
            throw new IllegalArgumentException("validRuns + invalidRuns must equal totalRuns but were " + validRuns + " + "
                    + invalidRuns + " != " + totalRuns);
        }
    }

    /** This row's runs: the valid ones for a valid row, the invalid ones for an invalid row. */
    public long rowRuns() {
        return invalid() ? invalidRuns : validRuns;
    }

    /**
     * The share of this row's runs that carried the flag, in [0, 1], or null when the row has no run.
     *
     * @param flag the hardware flag
     */
    public @Nullable Double hardwareFlagShare(HardwareFlag flag) {
        long runs = rowRuns();
        Long flagged = hardwareFlagRuns.get(flag);
        return runs == 0 ? null : (flagged == null ? 0.0 : flagged.doubleValue() / runs);
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
