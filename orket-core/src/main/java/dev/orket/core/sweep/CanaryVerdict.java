package dev.orket.core.sweep;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Whether the canary runs met the gate's thresholds, with the figures and every failing reason.
 *
 * @param passed whether the sweep may go on
 * @param runs canary runs judged
 * @param validRuns of which valid
 * @param internalLatencyCv coefficient of variation of internal model seconds over valid runs, or null
 * @param medianQuality median quality score, or null
 * @param medianWallMs median wall time in ms, or null
 * @param reasons why it failed; empty when it passed
 * @since 0.1
 */
public record CanaryVerdict(boolean passed, int runs, int validRuns, @Nullable Double internalLatencyCv,
        @Nullable Double medianQuality, @Nullable Double medianWallMs, List<String> reasons) {

    public CanaryVerdict {
        reasons = List.copyOf(reasons);
    }

    /** The verdict of a disabled gate. */
    public static CanaryVerdict skipped() {
        return new CanaryVerdict(true, 0, 0, null, null, null, List.of());
    }

    /**
     * Judges canary runs against the gate. A pure function of the entries.
     *
     * @param entries the canary runs' ledger entries
     * @param gate the thresholds
     */
    public static CanaryVerdict judge(List<LedgerEntry> entries, CanaryGate gate) {
        java.util.List<String> reasons = new java.util.ArrayList<>();
        java.util.List<Double> internal = new java.util.ArrayList<>();
        java.util.List<Double> quality = new java.util.ArrayList<>();
        java.util.List<Double> wallMs = new java.util.ArrayList<>();
        int valid = 0;
        for (LedgerEntry entry : entries) {
            var t = entry.telemetry();
            if (!t.validity().valid()) {
                reasons.add("invalid_run:" + t.identity().runId() + ":" + String.join(",", t.validity().invalidReasons()));
                continue;
            }
            valid++;
            internal.add(t.internalModelSeconds().require());
            wallMs.add(t.wallSeconds().require() * 1000.0);
            if (entry.qualityScore() != null) {
                quality.add(entry.qualityScore());
            }
        }
        Double cv = null;
        if (internal.size() >= 2) {
            double mean = internal.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double sumSquares = 0;
            for (double value : internal) {
                sumSquares += (value - mean) * (value - mean);
            }
            double sd = Math.sqrt(sumSquares / (internal.size() - 1));
            cv = mean == 0 ? null : sd / mean;
            if (cv != null && cv > gate.latencyVarianceThreshold()) {
                reasons.add("latency_variance:" + cv + ">" + gate.latencyVarianceThreshold());
            }
        }
        Double medianQuality = median(quality);
        if (medianQuality != null && medianQuality < gate.adherenceThreshold()) {
            reasons.add("adherence:" + medianQuality + "<" + gate.adherenceThreshold());
        }
        if (!entries.isEmpty() && quality.isEmpty() && valid > 0) {
            reasons.add("adherence:unscored");
        }
        Double medianWall = median(wallMs);
        if (gate.latencyCeilingMs() != null && medianWall != null && medianWall > gate.latencyCeilingMs()) {
            reasons.add("latency_ceiling:" + medianWall + ">" + gate.latencyCeilingMs());
        }
        if (valid == 0 && !entries.isEmpty()) {
            reasons.add("no_valid_canary_run");
        }
        java.util.Collections.sort(reasons);
        return new CanaryVerdict(reasons.isEmpty(), entries.size(), valid, cv, medianQuality, medianWall, reasons);
    }

    /** The lower median, as KPIs define it (docs/kpis.md), so the gate and the summary agree. */
    private static @Nullable Double median(java.util.List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        dev.orket.core.kpi.ValueDistribution distribution = new dev.orket.core.kpi.ValueDistribution();
        for (double value : values) {
            distribution.add(value);
        }
        return distribution.quantile(0.5);
    }
}
