package dev.orket.exporter.otel;

import static dev.orket.exporter.otel.GenAiConventions.CLIENT_CONNECT_MS;
import static dev.orket.exporter.otel.GenAiConventions.ERROR_TYPE;
import static dev.orket.exporter.otel.GenAiConventions.FOREIGN_CPU_PERCENT;
import static dev.orket.exporter.otel.GenAiConventions.HARDWARE_FLAGS;
import static dev.orket.exporter.otel.GenAiConventions.HOST_CPU_PERCENT;
import static dev.orket.exporter.otel.GenAiConventions.HOST_LOAD_1M;
import static dev.orket.exporter.otel.GenAiConventions.EXECUTION_LANE;
import static dev.orket.exporter.otel.GenAiConventions.HTTP_RESPONSE_STATUS_CODE;
import static dev.orket.exporter.otel.GenAiConventions.INTERNAL_MODEL_SECONDS;
import static dev.orket.exporter.otel.GenAiConventions.INVALID_REASONS;
import static dev.orket.exporter.otel.GenAiConventions.MODEL_FAMILY;
import static dev.orket.exporter.otel.GenAiConventions.OPERATION_NAME;
import static dev.orket.exporter.otel.GenAiConventions.ORCHESTRATION_OVERHEAD_RATIO;
import static dev.orket.exporter.otel.GenAiConventions.PROVIDER_NAME;
import static dev.orket.exporter.otel.GenAiConventions.QUANT_TAG;
import static dev.orket.exporter.otel.GenAiConventions.QUANT_TAG_VERIFIED;
import static dev.orket.exporter.otel.GenAiConventions.REQUEST_MAX_TOKENS;
import static dev.orket.exporter.otel.GenAiConventions.REQUEST_MODEL;
import static dev.orket.exporter.otel.GenAiConventions.REQUEST_SEED;
import static dev.orket.exporter.otel.GenAiConventions.REQUEST_TEMPERATURE;
import static dev.orket.exporter.otel.GenAiConventions.RESPONSE_FINISH_REASONS;
import static dev.orket.exporter.otel.GenAiConventions.RUN_ID;
import static dev.orket.exporter.otel.GenAiConventions.RUN_QUALITY_REASONS;
import static dev.orket.exporter.otel.GenAiConventions.RUN_QUALITY_STATUS;
import static dev.orket.exporter.otel.GenAiConventions.SERVED_QUANT_TAG;
import static dev.orket.exporter.otel.GenAiConventions.SERVER_BUILD;
import static dev.orket.exporter.otel.GenAiConventions.SERVER_CONTEXT_SIZE;
import static dev.orket.exporter.otel.GenAiConventions.SERVER_MODEL_FAMILY;
import static dev.orket.exporter.otel.GenAiConventions.SERVER_MODEL_FILE;
import static dev.orket.exporter.otel.GenAiConventions.SERVER_PARAMETER_SIZE;
import static dev.orket.exporter.otel.GenAiConventions.SERVER_TOTAL_SLOTS;
import static dev.orket.exporter.otel.GenAiConventions.SESSION_ID;
import static dev.orket.exporter.otel.GenAiConventions.STREAM;
import static dev.orket.exporter.otel.GenAiConventions.SWEEP_ID;
import static dev.orket.exporter.otel.GenAiConventions.TERMINAL_STATE;
import static dev.orket.exporter.otel.GenAiConventions.TOKEN_METRICS_STATUS;
import static dev.orket.exporter.otel.GenAiConventions.USAGE_INPUT_TOKENS;
import static dev.orket.exporter.otel.GenAiConventions.USAGE_OUTPUT_TOKENS;
import static dev.orket.exporter.otel.GenAiConventions.VALID;
import static dev.orket.exporter.otel.GenAiConventions.VRAM_PROFILE;
import static dev.orket.exporter.otel.GenAiConventions.WALL_SECONDS;
import static dev.orket.exporter.otel.GenAiConventions.WARMUP;
import static dev.orket.exporter.otel.GenAiConventions.errorType;
import static dev.orket.exporter.otel.GenAiConventions.operationName;

import dev.orket.api.FinishReason;
import dev.orket.api.JsonNamed;
import dev.orket.api.MetricValue;
import dev.orket.api.RunIdentity;
import dev.orket.api.RunOutcome;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.ServerIdentity;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One CLIENT span per run, from the record's {@code started_at} to its {@code ended_at}. */
final class RunSpans {

    private final Tracer tracer;

    RunSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Starts and ends the run's span; the current context's span, if any, is its parent. */
    void emit(RunRequest request, RunTelemetry telemetry) {
        RunIdentity identity = telemetry.identity();
        String operation = operationName(request.promptStyle());
        Span span = tracer.spanBuilder(operation + " " + identity.model())
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(telemetry.startedAt())
                .setAllAttributes(attributes(request, telemetry))
                .startSpan();
        RunOutcome outcome = telemetry.outcome();
        if (errorType(outcome) != null) {
            span.setStatus(StatusCode.ERROR, statusDescription(outcome));
        }
        span.end(telemetry.endedAt());
    }

    /** Every attribute of a run's span; absent values are left out, never written as zero. */
    static Attributes attributes(RunRequest request, RunTelemetry telemetry) {
        RunIdentity identity = telemetry.identity();
        RunOutcome outcome = telemetry.outcome();
        AttributesBuilder b = Attributes.builder()
                .put(OPERATION_NAME, operationName(request.promptStyle()))
                .put(PROVIDER_NAME, identity.provider())
                .put(REQUEST_MODEL, identity.model());
        Integer maxTokens = request.maxOutputTokens();
        putIfPresent(b, REQUEST_MAX_TOKENS, maxTokens == null ? null : maxTokens.longValue());
        putIfPresent(b, REQUEST_SEED, request.seed());
        putIfPresent(b, REQUEST_TEMPERATURE, request.temperature());
        putCount(b, USAGE_INPUT_TOKENS, telemetry.tokenMetrics().promptTokens());
        putCount(b, USAGE_OUTPUT_TOKENS, telemetry.tokenMetrics().outputTokens());
        FinishReason finishReason = outcome.finishReason();
        if (finishReason != null) {
            b.put(RESPONSE_FINISH_REASONS, List.of(finishReason.jsonName()));
        }
        putIfPresent(b, ERROR_TYPE, errorType(outcome));
        Integer httpStatus = outcome.httpStatus();
        putIfPresent(b, HTTP_RESPONSE_STATUS_CODE, httpStatus == null ? null : httpStatus.longValue());

        b.put(RUN_ID, identity.runId());
        putIfPresent(b, SWEEP_ID, identity.sweepId());
        putIfPresent(b, SESSION_ID, identity.sessionId());
        putIfPresent(b, MODEL_FAMILY, identity.modelFamily());
        putIfPresent(b, QUANT_TAG, identity.quantTag());
        b.put(STREAM, identity.stream());
        b.put(WARMUP, request.warmup());
        b.put(EXECUTION_LANE, identity.executionLane().jsonName());
        b.put(VRAM_PROFILE, identity.vramProfile().jsonName());
        b.put(TERMINAL_STATE, outcome.terminalState().jsonName());
        b.put(TOKEN_METRICS_STATUS, telemetry.tokenMetrics().status().jsonName());
        putIfPresent(b, WALL_SECONDS, telemetry.wallSeconds().value());
        putIfPresent(b, INTERNAL_MODEL_SECONDS, telemetry.internalModelSeconds().value());
        putIfPresent(b, ORCHESTRATION_OVERHEAD_RATIO, telemetry.orchestrationOverheadRatio().value());
        b.put(RUN_QUALITY_STATUS, telemetry.quality().status().jsonName());
        b.put(RUN_QUALITY_REASONS, names(telemetry.quality().reasons()));
        b.put(VALID, telemetry.validity().valid());
        b.put(INVALID_REASONS, telemetry.validity().invalidReasons());
        Integer contextSize = telemetry.serverContextSize();
        putIfPresent(b, SERVER_CONTEXT_SIZE, contextSize == null ? null : contextSize.longValue());
        ServerIdentity server = telemetry.server();
        putIfPresent(b, SERVER_BUILD, server.build());
        putIfPresent(b, SERVER_MODEL_FILE, server.modelFile());
        putIfPresent(b, SERVED_QUANT_TAG, server.servedQuantTag());
        putIfPresent(b, QUANT_TAG_VERIFIED, telemetry.quantTagVerified());
        Integer slots = server.totalSlots();
        putIfPresent(b, SERVER_TOTAL_SLOTS, slots == null ? null : slots.longValue());
        putIfPresent(b, SERVER_MODEL_FAMILY, server.family());
        putIfPresent(b, SERVER_PARAMETER_SIZE, server.parameterSize());
        // Advisory: what the GPU sidecar saw; never part of validity.
        b.put(HARDWARE_FLAGS, names(telemetry.hardwareFlags().flags()));
        putIfPresent(b, CLIENT_CONNECT_MS, telemetry.tokenMetrics().clientConnectMs().value());
        putIfPresent(b, HOST_CPU_PERCENT, telemetry.host().hostCpuPercent());
        putIfPresent(b, FOREIGN_CPU_PERCENT, telemetry.host().foreignCpuPercent());
        putIfPresent(b, HOST_LOAD_1M, telemetry.host().hostLoad1m());
        return b.build();
    }

    private static String statusDescription(RunOutcome outcome) {
        String kind = errorType(outcome);
        String message = outcome.failureMessage();
        return message == null || message.isBlank() ? String.valueOf(kind) : kind + ": " + message;
    }

    private static List<String> names(List<? extends JsonNamed> values) {
        return values.stream().map(JsonNamed::jsonName).toList();
    }

    private static void putCount(AttributesBuilder b, AttributeKey<Long> key, MetricValue count) {
        Double value = count.value();
        if (value != null) {
            b.put(key, Math.round(value));
        }
    }

    private static <T> void putIfPresent(AttributesBuilder b, AttributeKey<T> key, @Nullable T value) {
        if (value != null) {
            b.put(key, value);
        }
    }
}
