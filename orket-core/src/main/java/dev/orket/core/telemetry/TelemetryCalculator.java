package dev.orket.core.telemetry;

import static dev.orket.api.UnavailableReason.INPUT_UNAVAILABLE;
import static dev.orket.api.UnavailableReason.NOT_REPORTED_BY_SERVER;
import static dev.orket.api.UnavailableReason.RUN_ENDED_EARLY;
import static dev.orket.api.UnavailableReason.ZERO_DURATION;

import dev.orket.api.ControlApplication;
import dev.orket.api.ControlsApplied;
import dev.orket.api.ExecutionLane;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.HostTelemetry;
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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
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
     * Computes the telemetry record of an ended run measured with a GPU sidecar only (no host sampling,
     * controls not recorded).
     *
     * @param observation what the recorder observed
     * @param sidecar the GPU sidecar's summary of the run
     * @param qualityFlags quality reasons from outside the recorder, with their details
     * @param policy the thresholds for quality reasons
     */
    public static RunTelemetry compute(RunObservation observation, SidecarSummary sidecar,
            Map<RunQualityReason, String> qualityFlags, RunPolicy policy) {
        return compute(observation, RunContext.of(sidecar, qualityFlags), policy);
    }

    /**
     * Computes the telemetry record of an ended run.
     *
     * @param observation what the recorder observed
     * @param context what surrounded the run: sidecar, hardware flags, host, controls, outside quality flags
     * @param policy the thresholds for quality reasons
     */
    public static RunTelemetry compute(RunObservation observation, RunContext context, RunPolicy policy) {
        boolean completed = observation.finalState() == RunState.COMPLETED;
        UnavailableReason notReported = completed ? NOT_REPORTED_BY_SERVER : RUN_ENDED_EARLY;

        Map<RunQualityReason, String> flags = new EnumMap<>(RunQualityReason.class);
        flags.putAll(observation.qualityFlags());
        context.qualityFlags().forEach(flags::putIfAbsent);

        List<String> implausible = new ArrayList<>();
        MetricValue promptTokens = count("prompt_tokens", observation.promptTokens(), notReported, implausible);
        MetricValue cachedPromptTokens =
                count("cached_prompt_tokens", observation.cachedPromptTokens(), notReported, implausible);
        MetricValue outputTokens = count("output_tokens", observation.outputTokens(), notReported, implausible);
        MetricValue totalTokens = promptTokens.isPresent() && outputTokens.isPresent()
                ? MetricValue.of(promptTokens.require() + outputTokens.require(), Provenance.DERIVED)
                : MetricValue.unavailable(INPUT_UNAVAILABLE);
        MetricValue promptMs = duration("server_prompt_ms", observation.promptMs(), notReported, implausible);
        MetricValue generationMs =
                duration("server_generation_ms", observation.generationMs(), notReported, implausible);
        MetricValue loadMs = duration("load_ms", observation.loadMs(), notReported, implausible);

        if (observation.request().expectColdPromptCache()
                && cachedPromptTokens.isPresent()
                && cachedPromptTokens.require() > 0) {
            flags.putIfAbsent(RunQualityReason.PROMPT_CACHE_HIT,
                    (long) cachedPromptTokens.require() + " prompt tokens served from cache on a run meant to be cold");
        }
        if (!observation.request().warmup()
                && loadMs.isPresent()
                && loadMs.require() > policy.coldLoadThresholdMs()) {
            flags.putIfAbsent(RunQualityReason.COLD_MODEL_LOAD,
                    "load " + observation.loadMs() + " ms > " + policy.coldLoadThresholdMs() + " ms");
        }

        MetricValue promptTps = promptRate(promptTokens, cachedPromptTokens, promptMs, flags);
        MetricValue generationTps = rate(outputTokens, generationMs);

        MetricValue ttft = clientTtft(observation, completed);
        MetricValue connectMs = clientConnect(observation);
        MetricValue timePerOutputToken = clientTimePerOutputToken(observation, completed, outputTokens);

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
        boolean timingsReported = observation.promptMs() != null && observation.generationMs() != null;
        if (!timingsReported) {
            flags.putIfAbsent(RunQualityReason.MISSING_TOKEN_TIMINGS,
                    "server reported " + (observation.promptMs() != null ? "no generation time" : "no prompt time"));
        }
        if (!implausible.isEmpty()) {
            flags.putIfAbsent(RunQualityReason.IMPLAUSIBLE_SERVER_VALUE, String.join("; ", implausible));
        }
        if (overhead.isPresent() && overhead.require() > policy.maxOrchestrationOverheadRatio()) {
            flags.putIfAbsent(RunQualityReason.HIGH_ORCHESTRATION_OVERHEAD,
                    "overhead ratio " + overhead.require() + " > " + policy.maxOrchestrationOverheadRatio());
        }
        hostFlags(context.host(), policy, flags);
        ControlsApplied controls = controls(observation, context.controls(), context.serverContextSize());
        if (observation.request().executionLane() == ExecutionLane.LAB && !controls.notApplied().isEmpty()) {
            List<String> missing = new ArrayList<>();
            controls.notApplied().forEach((control, application) -> missing.add(control.jsonName() + " "
                    + application.requested() + ": " + application.detail()));
            flags.putIfAbsent(RunQualityReason.MISSING_EXPERIMENTAL_CONTROLS, String.join("; ", missing));
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
                outcome, tokenMetrics, wallSeconds, internalSeconds, overhead, quality, flags, validity,
                context.sidecar(), observation.contextSize(), ServerIdentity.unknown(), null, context.hardwareFlags(),
                context.host(), controls, List.of());
    }

    /** {@code HIGH_CPU_SATURATION} and {@code HIGH_SYSTEM_LOAD} from the host's figures (docs/policy.md). */
    private static void hostFlags(HostTelemetry host, RunPolicy policy, Map<RunQualityReason, String> flags) {
        Double foreign = host.foreignCpuPercent();
        // The kernel accounts CPU in ticks: a short run's share is known to within one tick, so only a share beyond
        // the threshold by more than that is contention, not rounding.
        double resolution = orZero(host.cpuResolutionPercent());
        if (foreign != null && foreign - resolution > policy.maxForeignCpuPercent()) {
            flags.putIfAbsent(RunQualityReason.HIGH_CPU_SATURATION, String.format(Locale.ROOT,
                    "foreign processes used %.1f %% of the host's CPU > %.1f %% (host %.1f %%, server %.1f %%,"
                            + " Orket %.1f %%%s)", foreign, policy.maxForeignCpuPercent(),
                    orZero(host.hostCpuPercent()), orZero(host.serverCpuPercent()), orZero(host.orketCpuPercent()),
                    host.cpuResolutionPercent() == null ? ""
                            : String.format(Locale.ROOT, "; accounting resolution %.1f %%", resolution)));
        }
        Double load = host.hostLoad1m();
        Integer cores = host.hostCoreCount();
        if (load != null && cores != null && host.hostCpuPercent() != null) {
            // The server's and Orket's own busy cores are not contention: only the load beyond them counts.
            double ownCores = (orZero(host.serverCpuPercent()) + orZero(host.orketCpuPercent())) / 100.0 * cores;
            double perCore = Math.max(0.0, load - ownCores) / cores;
            if (perCore > policy.maxSystemLoadPerCore()) {
                flags.putIfAbsent(RunQualityReason.HIGH_SYSTEM_LOAD, String.format(Locale.ROOT,
                        "load %.2f on %d cores, %.2f beyond the server's and Orket's %.2f busy cores: %.2f per core"
                                + " > %.2f", load, cores, load - ownCores, ownCores, perCore,
                        policy.maxSystemLoadPerCore()));
            }
        }
    }

    /** The controls as declared, with the context size checked against what the server reported. */
    private static ControlsApplied controls(RunObservation observation,
            Map<ExperimentalControl, ControlApplication> declared, @Nullable Integer serverContextSize) {
        if (declared.isEmpty()) {
            return ControlsApplied.notRecorded("not_recorded");
        }
        Map<ExperimentalControl, ControlApplication> controls = new EnumMap<>(ExperimentalControl.class);
        controls.putAll(declared);
        Integer requested = observation.request().contextSize();
        Integer reported = observation.contextSize() != null ? observation.contextSize() : serverContextSize;
        if (requested != null && reported != null) {
            // What the server says it used decides, whatever the provider declared it would pass.
            controls.put(ExperimentalControl.CONTEXT_SIZE, requested.equals(reported)
                    ? ControlApplication.applied(requested, "the server reports a context of " + reported + " tokens")
                    : ControlApplication.notApplied(requested, "the server reports a context of " + reported
                            + " tokens"));
        }
        for (ExperimentalControl control : ExperimentalControl.values()) {
            controls.putIfAbsent(control, ControlApplication.notApplicable("not recorded by the provider"));
        }
        return new ControlsApplied(controls);
    }

    private static double orZero(@Nullable Double value) {
        return value == null ? 0.0 : value;
    }

    private static MetricValue count(String field, @Nullable Long reported, UnavailableReason whenAbsent,
            List<String> implausible) {
        if (reported == null) {
            return MetricValue.unavailable(whenAbsent);
        }
        String problem = ServerNumbers.countProblem(reported);
        if (problem != null) {
            implausible.add(field + "=" + reported + " (" + problem + ")");
            return MetricValue.unavailable(UnavailableReason.IMPLAUSIBLE_SERVER_VALUE);
        }
        return MetricValue.of(reported.doubleValue(), Provenance.SERVER_REPORTED);
    }

    private static MetricValue duration(String field, @Nullable Double reported, UnavailableReason whenAbsent,
            List<String> implausible) {
        if (reported == null) {
            return MetricValue.unavailable(whenAbsent);
        }
        String problem = ServerNumbers.durationProblem(reported);
        if (problem != null) {
            implausible.add(field + "=" + reported + " (" + problem + ")");
            return MetricValue.unavailable(UnavailableReason.IMPLAUSIBLE_SERVER_VALUE);
        }
        return MetricValue.of(reported, Provenance.SERVER_REPORTED);
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

    private static MetricValue promptRate(MetricValue promptTokens, MetricValue cachedPromptTokens,
            MetricValue promptMs, Map<RunQualityReason, String> flags) {
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

    private static MetricValue clientTimePerOutputToken(RunObservation observation, boolean completed,
            MetricValue outputTokens) {
        if (!observation.request().stream()) {
            return MetricValue.unavailable(UnavailableReason.NOT_STREAMING);
        }
        if (observation.firstTokenNanos() == null || observation.lastTokenNanos() == null) {
            return MetricValue.unavailable(completed ? UnavailableReason.NO_OUTPUT_TOKENS : RUN_ENDED_EARLY);
        }
        Long tokens = outputTokens.isPresent()
                ? Long.valueOf((long) outputTokens.require())
                : observation.outputTokens() == null ? observation.chunkTokenSum() : null;
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
