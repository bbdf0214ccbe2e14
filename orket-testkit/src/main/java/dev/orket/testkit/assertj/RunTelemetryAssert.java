package dev.orket.testkit.assertj;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.MetricValue;
import dev.orket.api.Provenance;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunQualityStatus;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.api.UnavailableReason;
import java.util.Objects;
import java.util.function.Function;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Fluent checks of one {@link RunTelemetry}. Every failure reads
 * {@code Expected <x> but was <y> (field, run id)}. Numbers compare with a relative tolerance of 1e-9
 * (the virtual clock makes them exact up to floating-point rounding).
 *
 * @since 0.1
 */
public final class RunTelemetryAssert extends AbstractAssert<RunTelemetryAssert, RunTelemetry> {

    private static final double RELATIVE_TOLERANCE = 1e-9;

    RunTelemetryAssert(RunTelemetry actual) {
        super(actual, RunTelemetryAssert.class);
    }

    private RunTelemetryAssert expect(String field, @Nullable Object expected, @Nullable Object actualValue) {
        if (!Objects.equals(expected, actualValue)) {
            failWithMessage("Expected <%s> but was <%s> (%s, run %s)", expected, actualValue, field,
                    actual.identity().runId());
        }
        return this;
    }

    /** The run reached the terminal state. */
    public RunTelemetryAssert hasTerminalState(TerminalState expected) {
        isNotNull();
        return expect("terminal_state", expected, actual.outcome().terminalState());
    }

    /** The run completed. */
    public RunTelemetryAssert isCompleted() {
        return hasTerminalState(TerminalState.COMPLETED);
    }

    /** The run failed with the failure kind. */
    public RunTelemetryAssert hasFailed(FailureKind expected) {
        hasTerminalState(TerminalState.FAILED);
        return expect("failure_kind", expected, actual.outcome().failureKind());
    }

    public RunTelemetryAssert hasFinishReason(@Nullable FinishReason expected) {
        isNotNull();
        return expect("finish_reason", expected, actual.outcome().finishReason());
    }

    public RunTelemetryAssert hasHttpStatus(@Nullable Integer expected) {
        isNotNull();
        return expect("http_status", expected, actual.outcome().httpStatus());
    }

    public RunTelemetryAssert hasTokenMetricsStatus(TokenMetricsStatus expected) {
        isNotNull();
        return expect("token_metrics_status", expected, actual.tokenMetrics().status());
    }

    public RunTelemetryAssert hasChunkCount(long expected) {
        isNotNull();
        return expect("chunk_count", expected, actual.tokenMetrics().chunkCount());
    }

    private RunTelemetryAssert hasMetric(String field, Function<RunTelemetry, MetricValue> metric, double expected) {
        isNotNull();
        MetricValue value = metric.apply(actual);
        if (!value.isPresent()) {
            failWithMessage("Expected <%s> but was <unavailable: %s> (%s, run %s)", expected,
                    value.unavailableReason() == null ? null : value.unavailableReason().jsonName(), field,
                    actual.identity().runId());
            return this;
        }
        double got = value.require();
        if (Math.abs(got - expected) > RELATIVE_TOLERANCE * Math.max(1.0, Math.abs(expected))) {
            failWithMessage("Expected <%s> but was <%s> (%s, run %s)", expected, got, field, actual.identity().runId());
        }
        return this;
    }

    private RunTelemetryAssert hasNoMetric(String field, Function<RunTelemetry, MetricValue> metric,
            UnavailableReason expected) {
        isNotNull();
        MetricValue value = metric.apply(actual);
        String got = value.isPresent() ? String.valueOf(value.value()) : "unavailable: " + value.unavailableReason().jsonName();
        return expect(field, "unavailable: " + expected.jsonName(), got);
    }

    private RunTelemetryAssert hasProvenance(String field, Function<RunTelemetry, MetricValue> metric,
            Provenance expected) {
        isNotNull();
        return expect(field + " provenance", expected, metric.apply(actual).provenance());
    }

    public RunTelemetryAssert hasClientTtftMs(double expected) {
        hasProvenance("client_ttft_ms", t -> t.tokenMetrics().clientTtftMs(), Provenance.CLIENT_MEASURED);
        return hasMetric("client_ttft_ms", t -> t.tokenMetrics().clientTtftMs(), expected);
    }

    public RunTelemetryAssert hasNoClientTtft(UnavailableReason expected) {
        return hasNoMetric("client_ttft_ms", t -> t.tokenMetrics().clientTtftMs(), expected);
    }

    /**
     * The connect time is the value, measured by the client.
     *
     * @since 0.2
     */
    public RunTelemetryAssert hasClientConnectMs(double expected) {
        hasProvenance("client_connect_ms", t -> t.tokenMetrics().clientConnectMs(), Provenance.CLIENT_MEASURED);
        return hasMetric("client_connect_ms", t -> t.tokenMetrics().clientConnectMs(), expected);
    }

    /**
     * The connect time is unavailable for the reason.
     *
     * @since 0.2
     */
    public RunTelemetryAssert hasNoClientConnect(UnavailableReason expected) {
        return hasNoMetric("client_connect_ms", t -> t.tokenMetrics().clientConnectMs(), expected);
    }

    public RunTelemetryAssert hasClientTimePerOutputTokenMs(double expected) {
        return hasMetric("client_time_per_output_token_ms", t -> t.tokenMetrics().clientTimePerOutputTokenMs(), expected);
    }

    public RunTelemetryAssert hasNoClientTimePerOutputToken(UnavailableReason expected) {
        return hasNoMetric("client_time_per_output_token_ms", t -> t.tokenMetrics().clientTimePerOutputTokenMs(),
                expected);
    }

    public RunTelemetryAssert hasWallSeconds(double expected) {
        hasProvenance("wall_seconds", RunTelemetry::wallSeconds, Provenance.CLIENT_MEASURED);
        return hasMetric("wall_seconds", RunTelemetry::wallSeconds, expected);
    }

    public RunTelemetryAssert hasPromptTokens(long expected) {
        hasProvenance("prompt_tokens", t -> t.tokenMetrics().promptTokens(), Provenance.SERVER_REPORTED);
        return hasMetric("prompt_tokens", t -> t.tokenMetrics().promptTokens(), expected);
    }

    public RunTelemetryAssert hasCachedPromptTokens(long expected) {
        return hasMetric("cached_prompt_tokens", t -> t.tokenMetrics().cachedPromptTokens(), expected);
    }

    public RunTelemetryAssert hasNoCachedPromptTokens(UnavailableReason expected) {
        return hasNoMetric("cached_prompt_tokens", t -> t.tokenMetrics().cachedPromptTokens(), expected);
    }

    public RunTelemetryAssert hasOutputTokens(long expected) {
        hasProvenance("output_tokens", t -> t.tokenMetrics().outputTokens(), Provenance.SERVER_REPORTED);
        return hasMetric("output_tokens", t -> t.tokenMetrics().outputTokens(), expected);
    }

    public RunTelemetryAssert hasTotalTokens(long expected) {
        return hasMetric("total_tokens", t -> t.tokenMetrics().totalTokens(), expected);
    }

    public RunTelemetryAssert hasServerPromptMs(double expected) {
        hasProvenance("server_prompt_ms", t -> t.tokenMetrics().serverPromptMs(), Provenance.SERVER_REPORTED);
        return hasMetric("server_prompt_ms", t -> t.tokenMetrics().serverPromptMs(), expected);
    }

    public RunTelemetryAssert hasServerGenerationMs(double expected) {
        hasProvenance("server_generation_ms", t -> t.tokenMetrics().serverGenerationMs(), Provenance.SERVER_REPORTED);
        return hasMetric("server_generation_ms", t -> t.tokenMetrics().serverGenerationMs(), expected);
    }

    public RunTelemetryAssert hasLoadMs(double expected) {
        return hasMetric("load_ms", t -> t.tokenMetrics().loadMs(), expected);
    }

    public RunTelemetryAssert hasNoLoadMs(UnavailableReason expected) {
        return hasNoMetric("load_ms", t -> t.tokenMetrics().loadMs(), expected);
    }

    public RunTelemetryAssert hasInternalModelSeconds(double expected) {
        return hasMetric("internal_model_seconds", RunTelemetry::internalModelSeconds, expected);
    }

    public RunTelemetryAssert hasOrchestrationOverheadRatio(double expected) {
        return hasMetric("orchestration_overhead_ratio", RunTelemetry::orchestrationOverheadRatio, expected);
    }

    /** The run's quality is {@code CLEAN}. */
    public RunTelemetryAssert isClean() {
        isNotNull();
        expect("run_quality_reasons", java.util.List.of(), actual.quality().reasons());
        return expect("run_quality_status", RunQualityStatus.CLEAN, actual.quality().status());
    }

    /** The run's quality reasons include the reason. */
    public RunTelemetryAssert hasQualityReason(RunQualityReason expected) {
        isNotNull();
        if (!actual.quality().reasons().contains(expected)) {
            failWithMessage("Expected <%s> in run_quality_reasons but was <%s> (run %s)", expected.jsonName(),
                    actual.quality().reasons(), actual.identity().runId());
        }
        return this;
    }

    /** The run may enter KPI aggregates. */
    public RunTelemetryAssert isValid() {
        isNotNull();
        return expect("valid (invalid_reasons " + actual.validity().invalidReasons() + ")", true, actual.validity().valid());
    }

    /** The run may not enter KPI aggregates. */
    public RunTelemetryAssert isInvalid() {
        isNotNull();
        return expect("valid", false, actual.validity().valid());
    }
}
