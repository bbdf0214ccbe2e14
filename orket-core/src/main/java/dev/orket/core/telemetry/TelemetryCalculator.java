package dev.orket.core.telemetry;

import static dev.orket.api.UnavailableReason.INPUT_UNAVAILABLE;
import static dev.orket.api.UnavailableReason.NOT_REPORTED_BY_SERVER;
import static dev.orket.api.UnavailableReason.RUN_ENDED_EARLY;
import static dev.orket.api.UnavailableReason.ZERO_DURATION;

import dev.orket.api.MetricValue;
import dev.orket.api.Provenance;
import dev.orket.api.RunIdentity;
import dev.orket.api.RunOutcome;
import dev.orket.api.RunQuality;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunTelemetry;
import dev.orket.api.RunValidity;
import dev.orket.api.ServerIdentity;
import dev.orket.api.SidecarSummary;
import dev.orket.api.TerminalState;
import dev.orket.api.TokenMetrics;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.api.UnavailableReason;
import dev.orket.core.artifact.SchemaVersion;
import dev.orket.core.policy.RunPolicy;
import dev.orket.core.policy.ValidRunPolicy;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@link RunObservation} into a {@link RunTelemetry}: the one place where telemetry
 * arithmetic lives (formulas in {@code docs/telemetry.md}). A pure function.
 *
 * @since 0.1
 */
public final class TelemetryCalculator {

    private static final double NANOS_PER_MS = 1_000_000.0;
    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    private TelemetryCalculator() {}

    /**
     * Computes the telemetry record of an ended run.
     *
     * @param observation what the recorder observed
     * @param sidecar the GPU sidecar's summary of the run
     * @param sidecarFlags quality reasons derived from sidecar data, with their details
     * @param policy the thresholds for quality reasons
     */
    public static RunTelemetry compute(RunObservation observation, SidecarSummary sidecar,
            Map<RunQualityReason, String> sidecarFlags, RunPolicy policy) {
        boolean completed = observation.finalState() == RunState.COMPLETED;
        UnavailableReason notReported = completed ? NOT_REPORTED_BY_SERVER : RUN_ENDED_EARLY;

        MetricValue promptTokens = server(observation.promptTokens(), notReported);
        MetricValue cachedPromptTokens = server(observation.cachedPromptTokens(), notReported);
        MetricValue outputTokens = server(observation.outputTokens(), notReported);
        MetricValue totalTokens = promptTokens.isPresent() && outputTokens.isPresent()
                ? MetricValue.of(promptTokens.require() + outputTokens.require(), Provenance.DERIVED)
                : MetricValue.unavailable(INPUT_UNAVAILABLE);
        MetricValue promptMs = server(observation.promptMs(), notReported);
        MetricValue generationMs = server(observation.generationMs(), notReported);
        MetricValue loadMs = server(observation.loadMs(), notReported);

        Map<RunQualityReason, String> flags = new EnumMap<>(RunQualityReason.class);
        flags.putAll(observation.qualityFlags());
        sidecarFlags.forEach(flags::putIfAbsent);

        if (observation.request().expectColdPromptCache()
                && observation.cachedPromptTokens() != null
                && observation.cachedPromptTokens() > 0) {
            flags.putIfAbsent(RunQualityReason.PROMPT_CACHE_HIT,
                    observation.cachedPromptTokens() + " prompt tokens served from cache on a run meant to be cold");
        }
        if (!observation.request().warmup()
                && observation.loadMs() != null
                && observation.loadMs() > policy.coldLoadThresholdMs()) {
            flags.putIfAbsent(RunQualityReason.COLD_MODEL_LOAD,
                    "load " + observation.loadMs() + " ms > " + policy.coldLoadThresholdMs() + " ms");
        }

        MetricValue promptTps = promptRate(observation, promptTokens, cachedPromptTokens, promptMs, flags);
        MetricValue generationTps = rate(outputTokens, generationMs);

        MetricValue ttft = clientTtft(observation, completed);
        MetricValue connectMs = clientConnect(observation);
        MetricValue timePerOutputToken = clientTimePerOutputToken(observation, completed);

        long originNanos = observation.requestSentNanos() != null
                ? observation.requestSentNanos()
                : observation.createdNanos();
        long wallNanos = observation.endNanos() - originNanos;
        MetricValue wallSeconds = MetricValue.of(wallNanos / NANOS_PER_SECOND, Provenance.CLIENT_MEASURED);

        MetricValue internalSeconds;
        if (promptMs.isPresent() && generationMs.isPresent()) {
            double internalMs = promptMs.require() + generationMs.require()
                    + (loadMs.isPresent() ? loadMs.require() : 0.0);
            internalSeconds = MetricValue.of(internalMs / 1000.0, Provenance.DERIVED);
        } else {
            internalSeconds = MetricValue.unavailable(INPUT_UNAVAILABLE);
        }

        MetricValue overhead;
        if (!internalSeconds.isPresent()) {
            overhead = MetricValue.unavailable(INPUT_UNAVAILABLE);
        } else if (wallNanos == 0) {
            overhead = MetricValue.unavailable(ZERO_DURATION);
        } else {
            double wall = wallSeconds.require();
            overhead = MetricValue.of(Math.max(0.0, (wall - internalSeconds.require()) / wall), Provenance.DERIVED);
        }

        boolean countsAvailable = promptTokens.isPresent() && outputTokens.isPresent();
        boolean timingsAvailable = promptMs.isPresent() && generationMs.isPresent();
        TokenMetricsStatus status = TokenMetricsStatus.of(countsAvailable, timingsAvailable);
        if (!timingsAvailable) {
            flags.putIfAbsent(RunQualityReason.MISSING_TOKEN_TIMINGS,
                    "server reported " + (promptMs.isPresent() ? "no generation time" : "no prompt time"));
        }
        if (overhead.isPresent() && overhead.require() > policy.maxOrchestrationOverheadRatio()) {
            flags.putIfAbsent(RunQualityReason.HIGH_ORCHESTRATION_OVERHEAD,
                    "overhead ratio " + overhead.require() + " > " + policy.maxOrchestrationOverheadRatio());
        }

        TokenMetrics tokenMetrics = new TokenMetrics(promptTokens, cachedPromptTokens, outputTokens, totalTokens,
                promptMs, generationMs, loadMs, promptTps, generationTps, ttft, timePerOutputToken,
                observation.chunkCount(), status, connectMs);
        RunOutcome outcome = new RunOutcome(terminalState(observation.finalState()), observation.finishReason(),
                observation.failureKind(), observation.failureMessage(), observation.httpStatus());
        RunQuality quality = RunQuality.of(flags.keySet());
        RunValidity validity = ValidRunPolicy.evaluate(outcome, status, quality);
        return new RunTelemetry(SchemaVersion.CURRENT,
                RunIdentity.of(observation.request(), observation.providerId()),
                observation.startedAt(),
                observation.startedAt().plus(Duration.ofNanos(observation.endNanos() - observation.createdNanos())),
                outcome, tokenMetrics, wallSeconds, internalSeconds, overhead, quality, flags, validity, sidecar,
                observation.contextSize(), ServerIdentity.unknown(), null);
    }

    private static MetricValue server(@Nullable Number reported, UnavailableReason whenAbsent) {
        return reported == null
                ? MetricValue.unavailable(whenAbsent)
                : MetricValue.of(reported.doubleValue(), Provenance.SERVER_REPORTED);
    }

    private static MetricValue rate(MetricValue tokens, MetricValue milliseconds) {
        if (!tokens.isPresent() || !milliseconds.isPresent()) {
            return MetricValue.unavailable(INPUT_UNAVAILABLE);
        }
        if (milliseconds.require() == 0.0) {
            return MetricValue.unavailable(ZERO_DURATION);
        }
        return MetricValue.of(tokens.require() * 1000.0 / milliseconds.require(), Provenance.DERIVED);
    }

    private static MetricValue promptRate(RunObservation observation, MetricValue promptTokens,
            MetricValue cachedPromptTokens, MetricValue promptMs, Map<RunQualityReason, String> flags) {
        if (!promptTokens.isPresent() || !promptMs.isPresent()) {
            return MetricValue.unavailable(INPUT_UNAVAILABLE);
        }
        if (!cachedPromptTokens.isPresent()) {
            // Without a cached count, a flagged cache hit means the prompt time covers fewer tokens than counted.
            if (flags.containsKey(RunQualityReason.PROMPT_CACHE_HIT)) {
                return MetricValue.unavailable(UnavailableReason.PROMPT_CACHE_HIT);
            }
            return rate(promptTokens, promptMs);
        }
        double evaluated = promptTokens.require() - cachedPromptTokens.require();
        if (evaluated < 0) {
            return MetricValue.unavailable(INPUT_UNAVAILABLE);
        }
        return rate(MetricValue.of(evaluated, Provenance.DERIVED), promptMs);
    }

    private static MetricValue clientTtft(RunObservation observation, boolean completed) {
        if (!observation.request().stream()) {
            return MetricValue.unavailable(UnavailableReason.NOT_STREAMING);
        }
        if (observation.firstTokenNanos() == null || observation.requestSentNanos() == null) {
            return MetricValue.unavailable(completed ? UnavailableReason.NO_OUTPUT_TOKENS : RUN_ENDED_EARLY);
        }
        return MetricValue.of((observation.firstTokenNanos() - observation.requestSentNanos()) / NANOS_PER_MS,
                Provenance.CLIENT_MEASURED);
    }

    /**
     * Connect time: from {@code ConnectStarted} to {@code Connected}. Absent when the connection was reused, when
     * the connect never finished (refused, timed out, cancelled), or when the provider reports no connection.
     */
    private static MetricValue clientConnect(RunObservation observation) {
        Long started = observation.connectStartedNanos();
        Long connected = observation.connectedNanos();
        if (started != null && connected != null) {
            return MetricValue.of((connected - started) / NANOS_PER_MS, Provenance.CLIENT_MEASURED);
        }
        if (observation.connectionReused()) {
            return MetricValue.unavailable(UnavailableReason.CONNECTION_REUSED);
        }
        if (started != null || observation.requestSentNanos() == null) {
            return MetricValue.unavailable(RUN_ENDED_EARLY);
        }
        return MetricValue.unavailable(UnavailableReason.NOT_REPORTED_BY_PROVIDER);
    }

    private static MetricValue clientTimePerOutputToken(RunObservation observation, boolean completed) {
        if (!observation.request().stream()) {
            return MetricValue.unavailable(UnavailableReason.NOT_STREAMING);
        }
        if (observation.firstTokenNanos() == null || observation.lastTokenNanos() == null) {
            return MetricValue.unavailable(completed ? UnavailableReason.NO_OUTPUT_TOKENS : RUN_ENDED_EARLY);
        }
        Long tokens = observation.outputTokens() != null
                ? Long.valueOf(observation.outputTokens())
                : observation.chunkTokenSum();
        if (tokens == null) {
            return MetricValue.unavailable(INPUT_UNAVAILABLE);
        }
        if (tokens < 2) {
            return MetricValue.unavailable(UnavailableReason.TOO_FEW_OUTPUT_TOKENS);
        }
        double spanMs = (observation.lastTokenNanos() - observation.firstTokenNanos()) / NANOS_PER_MS;
        return MetricValue.of(spanMs / (tokens - 1), Provenance.DERIVED);
    }

    private static TerminalState terminalState(RunState state) {
        switch (state) {
            case COMPLETED:
                return TerminalState.COMPLETED;
            case FAILED:
                return TerminalState.FAILED;
            case CANCELLED:
                return TerminalState.CANCELLED;
            default:
                throw new AssertionError(state);
        }
    }
}
