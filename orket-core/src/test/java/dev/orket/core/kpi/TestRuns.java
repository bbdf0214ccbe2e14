package dev.orket.core.kpi;

import dev.orket.api.ControlsApplied;
import dev.orket.api.ExecutionLane;
import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.HardwareFlag;
import dev.orket.api.HardwareFlags;
import dev.orket.api.HostTelemetry;
import dev.orket.api.MetricValue;
import dev.orket.api.Provenance;
import dev.orket.api.RunIdentity;
import dev.orket.api.RunOutcome;
import dev.orket.api.RunQuality;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunTelemetry;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarSummary;
import dev.orket.api.TerminalState;
import dev.orket.api.TokenMetrics;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.api.UnavailableReason;
import dev.orket.api.VramProfile;
import dev.orket.core.policy.ValidRunPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Builds run telemetry records for analysis tests. */
public final class TestRuns {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private String runId = "run-1";
    private String model = "tiny";
    private @Nullable String quant = "Q4_K_M";
    private @Nullable Integer context;
    private ExecutionLane lane = ExecutionLane.LAB;
    private VramProfile profile = VramProfile.BALANCED;
    private double generationTps = 100;
    private double promptTps = 1000;
    private @Nullable Double ttftMs = 50.0;
    private double wallSeconds = 1.0;
    private double overhead = 0.05;
    private @Nullable Long peakVramMb = 4000L;
    private TerminalState state = TerminalState.COMPLETED;
    private TokenMetricsStatus status = TokenMetricsStatus.OK;
    private List<RunQualityReason> qualityReasons = List.of();
    private final Map<HardwareFlag, String> hardwareFlags = new java.util.EnumMap<>(HardwareFlag.class);

    public static TestRuns run(String runId) {
        TestRuns runs = new TestRuns();
        runs.runId = runId;
        return runs;
    }

    public TestRuns model(String value) {
        model = value;
        return this;
    }

    public TestRuns quant(@Nullable String value) {
        quant = value;
        return this;
    }

    /** The context the run asked for ({@code context_size}), or null. */
    public TestRuns context(@Nullable Integer value) {
        context = value;
        return this;
    }

    public TestRuns lane(ExecutionLane value) {
        lane = value;
        return this;
    }

    public TestRuns profile(VramProfile value) {
        profile = value;
        return this;
    }

    public TestRuns speed(double value) {
        generationTps = value;
        return this;
    }

    public TestRuns promptSpeed(double value) {
        promptTps = value;
        return this;
    }

    public TestRuns ttft(@Nullable Double value) {
        ttftMs = value;
        return this;
    }

    public TestRuns wall(double value) {
        wallSeconds = value;
        return this;
    }

    public TestRuns overhead(double value) {
        overhead = value;
        return this;
    }

    public TestRuns vram(@Nullable Long value) {
        peakVramMb = value;
        return this;
    }

    public TestRuns failed() {
        state = TerminalState.FAILED;
        return this;
    }

    public TestRuns tokenStatus(TokenMetricsStatus value) {
        status = value;
        return this;
    }

    /** Advisory hardware flags with their details (never part of validity). */
    public TestRuns flagged(HardwareFlag flag, String detail) {
        hardwareFlags.put(flag, detail);
        return this;
    }

    public TestRuns polluted(RunQualityReason... reasons) {
        qualityReasons = List.of(reasons);
        return this;
    }

    public RunTelemetry build() {
        RunIdentity identity = new RunIdentity(runId, "sweep-1", "session-1", "llamacpp", model, quant, true, lane,
                profile, null, context);
        RunOutcome outcome = state == TerminalState.FAILED
                ? new RunOutcome(state, null, FailureKind.values()[0], "boom", null)
                : new RunOutcome(state, FinishReason.STOP, null, null, 200);
        MetricValue server = MetricValue.of(10, Provenance.SERVER_REPORTED);
        TokenMetrics tokens = new TokenMetrics(server, server, server, server, server, server,
                MetricValue.unavailable(UnavailableReason.NOT_REPORTED_BY_SERVER),
                MetricValue.of(promptTps, Provenance.DERIVED), MetricValue.of(generationTps, Provenance.DERIVED),
                ttftMs == null ? MetricValue.unavailable(UnavailableReason.NOT_STREAMING)
                        : MetricValue.of(ttftMs, Provenance.CLIENT_MEASURED),
                MetricValue.of(5, Provenance.CLIENT_MEASURED), 10, status);
        RunQuality quality = RunQuality.of(qualityReasons);
        SidecarSummary sidecar = new SidecarSummary(SidecarParseStatus.OK, List.of(), 3, 24_000L, 3900L, peakVramMb,
                40.0, 45.0, 46.0, 1800.0, 200.0, 30.0, List.of(), List.of());
        return new RunTelemetry(1, identity, START, START.plusSeconds(1), outcome, tokens,
                MetricValue.of(wallSeconds, Provenance.CLIENT_MEASURED),
                MetricValue.of(wallSeconds * (1 - overhead), Provenance.DERIVED),
                MetricValue.of(overhead, Provenance.DERIVED), quality, Map.of(),
                ValidRunPolicy.evaluate(outcome, status, quality), sidecar, 4096, dev.orket.api.ServerIdentity.unknown(),
                null, HardwareFlags.of(hardwareFlags), HostTelemetry.notSampled("host_sampling_disabled"),
                ControlsApplied.notRecorded("not_recorded"), List.of());
    }
}
