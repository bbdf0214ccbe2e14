package dev.orket.core.kpi;

import dev.orket.api.ExecutionLane;
import dev.orket.api.HardwareFlag;
import dev.orket.api.MetricValue;
import dev.orket.api.RunTelemetry;
import dev.orket.api.RunValidity;
import dev.orket.api.ThrottleReason;
import dev.orket.api.VramProfile;
import dev.orket.core.policy.ValidRunPolicy;
import org.jspecify.annotations.Nullable;

/**
 * The few fields of one run that KPIs need, reused from run to run while a ledger is scanned.
 * Inside this class only, {@code NaN} marks an absent figure; it never leaves the aggregator.
 */
final class RunSample {

    String runId = "";
    String model = "";
    @Nullable String quantTag;
    /** The context size the run asked for ({@code context_size}), or null. */
    @Nullable Integer contextSize;
    @Nullable ExecutionLane lane;
    @Nullable VramProfile profile;
    RunValidity validity = new RunValidity(true, java.util.List.of());
    double clientTtftMs = Double.NaN;
    double generationTokensPerSecond = Double.NaN;
    double promptTokensPerSecond = Double.NaN;
    double wallSeconds = Double.NaN;
    double overheadRatio = Double.NaN;
    double peakVramMb = Double.NaN;
    /** The {@code quality_score} a sweep ledger line carries, or NaN when it has none. */
    double recordedQualityScore = Double.NaN;
    /** The run's advisory hardware flags. */
    final java.util.Set<HardwareFlag> hardwareFlags = java.util.EnumSet.noneOf(HardwareFlag.class);
    /** The clock event reasons the sidecar saw during the run. */
    final java.util.Set<ThrottleReason> throttleReasons = java.util.EnumSet.noneOf(ThrottleReason.class);
    /** The ledger line's {@code attempt} (1 when absent). */
    int attempt = 1;
    /** The record's {@code sweep_id}, or null. */
    @Nullable String sweepId;

    /** A copy, for a line held back while the scanner reuses this sample. */
    RunSample copy() {
        RunSample c = new RunSample();
        c.runId = runId;
        c.model = model;
        c.quantTag = quantTag;
        c.contextSize = contextSize;
        c.lane = lane;
        c.profile = profile;
        c.validity = validity;
        c.clientTtftMs = clientTtftMs;
        c.generationTokensPerSecond = generationTokensPerSecond;
        c.promptTokensPerSecond = promptTokensPerSecond;
        c.wallSeconds = wallSeconds;
        c.overheadRatio = overheadRatio;
        c.peakVramMb = peakVramMb;
        c.recordedQualityScore = recordedQualityScore;
        c.attempt = attempt;
        c.sweepId = sweepId;
        c.hardwareFlags.addAll(hardwareFlags);
        c.throttleReasons.addAll(throttleReasons);
        return c;
    }

    static RunSample of(RunTelemetry run) {
        RunSample s = new RunSample();
        s.runId = run.identity().runId();
        s.model = run.identity().model();
        s.quantTag = run.identity().quantTag();
        s.contextSize = run.identity().contextSize();
        s.lane = run.identity().executionLane();
        s.profile = run.identity().vramProfile();
        s.validity = ValidRunPolicy.evaluate(run);
        s.clientTtftMs = value(run.tokenMetrics().clientTtftMs());
        s.generationTokensPerSecond = value(run.tokenMetrics().generationTokensPerSecond());
        s.promptTokensPerSecond = value(run.tokenMetrics().promptTokensPerSecond());
        s.wallSeconds = value(run.wallSeconds());
        s.overheadRatio = value(run.orchestrationOverheadRatio());
        Long peak = run.sidecar().peakVramUsedMb();
        s.peakVramMb = peak == null ? Double.NaN : peak.doubleValue();
        s.hardwareFlags.addAll(run.hardwareFlags().flags());
        s.throttleReasons.addAll(run.sidecar().throttleReasonsSeen());
        return s;
    }

    private static double value(MetricValue metric) {
        Double v = metric.value();
        return v == null ? Double.NaN : v;
    }

    CellKey cellKey() {
        ExecutionLane l = lane;
        VramProfile p = profile;
        if (l == null || p == null) {
            throw new AssertionError("lane and profile are required");
        }
        return new CellKey(model, quantTag, l, p, contextSize);
    }
}
