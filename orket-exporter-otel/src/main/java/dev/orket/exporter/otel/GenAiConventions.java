package dev.orket.exporter.otel;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.orket.api.PromptStyle;
import dev.orket.api.RunOutcome;
import dev.orket.api.TerminalState;
import io.opentelemetry.api.common.AttributeKey;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The names this exporter writes: the OpenTelemetry GenAI semantic conventions' keys, metric names, units and bucket
 * advice (semantic-conventions-genai, client inference metrics), and Orket's own {@code orket.*} keys, which reuse
 * the run telemetry record's JSON field names (the mapping table is {@code docs/exporter-otel.md}).
 */
final class GenAiConventions {

    static final AttributeKey<String> OPERATION_NAME = stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER_NAME = stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
    static final AttributeKey<Long> REQUEST_MAX_TOKENS = longKey("gen_ai.request.max_tokens");
    static final AttributeKey<Long> REQUEST_SEED = longKey("gen_ai.request.seed");
    static final AttributeKey<Double> REQUEST_TEMPERATURE = doubleKey("gen_ai.request.temperature");
    static final AttributeKey<Long> USAGE_INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS = stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<String> TOKEN_TYPE = stringKey("gen_ai.token.type");
    static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");
    static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = longKey("http.response.status_code");

    static final AttributeKey<String> RUN_ID = stringKey("orket.run_id");
    static final AttributeKey<String> SWEEP_ID = stringKey("orket.sweep_id");
    static final AttributeKey<String> SESSION_ID = stringKey("orket.session_id");
    static final AttributeKey<String> MODEL_FAMILY = stringKey("orket.model_family");
    static final AttributeKey<String> QUANT_TAG = stringKey("orket.quant_tag");
    static final AttributeKey<Boolean> STREAM = booleanKey("orket.stream");
    static final AttributeKey<Boolean> WARMUP = booleanKey("orket.warmup");
    static final AttributeKey<String> EXECUTION_LANE = stringKey("orket.execution_lane");
    static final AttributeKey<String> VRAM_PROFILE = stringKey("orket.vram_profile");
    static final AttributeKey<String> TERMINAL_STATE = stringKey("orket.terminal_state");
    static final AttributeKey<String> TOKEN_METRICS_STATUS = stringKey("orket.token_metrics_status");
    static final AttributeKey<Double> WALL_SECONDS = doubleKey("orket.wall_seconds");
    static final AttributeKey<Double> INTERNAL_MODEL_SECONDS = doubleKey("orket.internal_model_seconds");
    static final AttributeKey<Double> ORCHESTRATION_OVERHEAD_RATIO = doubleKey("orket.orchestration_overhead_ratio");
    static final AttributeKey<String> RUN_QUALITY_STATUS = stringKey("orket.run_quality_status");
    static final AttributeKey<List<String>> RUN_QUALITY_REASONS = stringArrayKey("orket.run_quality_reasons");
    static final AttributeKey<Boolean> VALID = booleanKey("orket.valid");
    static final AttributeKey<List<String>> INVALID_REASONS = stringArrayKey("orket.invalid_reasons");
    static final AttributeKey<Long> SERVER_CONTEXT_SIZE = longKey("orket.server_context_size");
    static final AttributeKey<String> SERVER_BUILD = stringKey("orket.server_build");
    static final AttributeKey<String> SERVER_MODEL_FILE = stringKey("orket.server_model_file");
    static final AttributeKey<String> SERVED_QUANT_TAG = stringKey("orket.served_quant_tag");
    static final AttributeKey<Boolean> QUANT_TAG_VERIFIED = booleanKey("orket.quant_tag_verified");
    static final AttributeKey<Long> SERVER_TOTAL_SLOTS = longKey("orket.server_total_slots");
    static final AttributeKey<String> SERVER_MODEL_FAMILY = stringKey("orket.server_model_family");
    static final AttributeKey<String> SERVER_PARAMETER_SIZE = stringKey("orket.server_parameter_size");
    static final AttributeKey<List<String>> HARDWARE_FLAGS = stringArrayKey("orket.hardware_flags");
    static final AttributeKey<Double> CLIENT_CONNECT_MS = doubleKey("orket.client_connect_ms");
    static final AttributeKey<Double> HOST_CPU_PERCENT = doubleKey("orket.host_cpu_percent");
    static final AttributeKey<Double> FOREIGN_CPU_PERCENT = doubleKey("orket.foreign_cpu_percent");
    static final AttributeKey<Double> HOST_LOAD_1M = doubleKey("orket.host_load_1m");

    static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
    static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    static final String TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";
    static final String TIME_PER_OUTPUT_CHUNK = "gen_ai.client.operation.time_per_output_chunk";

    static final String SECONDS = "s";
    static final String TOKENS = "{token}";
    static final String TOKEN_TYPE_INPUT = "input";
    static final String TOKEN_TYPE_OUTPUT = "output";

    /** The conventions' advice for the three duration histograms, in seconds. */
    static final List<Double> DURATION_BUCKETS =
            List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

    /** The conventions' advice for {@code gen_ai.client.token.usage}, in tokens. */
    static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L,
            1048576L, 4194304L, 16777216L, 67108864L);

    private GenAiConventions() {}

    /** The well-known {@code gen_ai.operation.name} of an endpoint style. */
    static String operationName(PromptStyle style) {
        switch (style) {
            case CHAT:
                return "chat";
            case COMPLETION:
                return "text_completion";
            default:
                throw new AssertionError(style);
        }
    }

    /**
     * The {@code error.type} of a run that did not complete, or null when it completed: the failure kind's record
     * name ({@code TIMEOUT}, {@code SERVER_ERROR}, …) or {@code CANCELLED}.
     */
    static @Nullable String errorType(RunOutcome outcome) {
        switch (outcome.terminalState()) {
            case COMPLETED:
                return null;
            case FAILED:
                // RunOutcome guarantees a failure kind exactly when the run failed.
                return outcome.failureKind() == null ? "_OTHER" : outcome.failureKind().jsonName();
            case CANCELLED:
                return TerminalState.CANCELLED.jsonName();
            default:
                throw new AssertionError(outcome.terminalState());
        }
    }
}
