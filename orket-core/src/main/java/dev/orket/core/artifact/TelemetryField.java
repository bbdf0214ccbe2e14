package dev.orket.core.artifact;

import dev.orket.api.MetricValue;
import dev.orket.api.RunTelemetry;
import java.util.function.Function;

/**
 * The numeric fields of a run telemetry record that carry provenance, with their JSON names.
 */
enum TelemetryField {
    PROMPT_TOKENS("prompt_tokens", true, t -> t.tokenMetrics().promptTokens()),
    CACHED_PROMPT_TOKENS("cached_prompt_tokens", true, t -> t.tokenMetrics().cachedPromptTokens()),
    OUTPUT_TOKENS("output_tokens", true, t -> t.tokenMetrics().outputTokens()),
    TOTAL_TOKENS("total_tokens", true, t -> t.tokenMetrics().totalTokens()),
    SERVER_PROMPT_MS("server_prompt_ms", false, t -> t.tokenMetrics().serverPromptMs()),
    SERVER_GENERATION_MS("server_generation_ms", false, t -> t.tokenMetrics().serverGenerationMs()),
    LOAD_MS("load_ms", false, t -> t.tokenMetrics().loadMs()),
    PROMPT_TOKENS_PER_SECOND("prompt_tokens_per_second", false, t -> t.tokenMetrics().promptTokensPerSecond()),
    GENERATION_TOKENS_PER_SECOND(
            "generation_tokens_per_second", false, t -> t.tokenMetrics().generationTokensPerSecond()),
    CLIENT_CONNECT_MS("client_connect_ms", false, t -> t.tokenMetrics().clientConnectMs()),
    CLIENT_TTFT_MS("client_ttft_ms", false, t -> t.tokenMetrics().clientTtftMs()),
    CLIENT_TIME_PER_OUTPUT_TOKEN_MS(
            "client_time_per_output_token_ms", false, t -> t.tokenMetrics().clientTimePerOutputTokenMs()),
    WALL_SECONDS("wall_seconds", false, RunTelemetry::wallSeconds),
    INTERNAL_MODEL_SECONDS("internal_model_seconds", false, RunTelemetry::internalModelSeconds),
    ORCHESTRATION_OVERHEAD_RATIO("orchestration_overhead_ratio", false, RunTelemetry::orchestrationOverheadRatio);

    private final String jsonName;
    private final boolean integral;
    private final Function<RunTelemetry, MetricValue> accessor;

    TelemetryField(String jsonName, boolean integral, Function<RunTelemetry, MetricValue> accessor) {
        this.jsonName = jsonName;
        this.integral = integral;
        this.accessor = accessor;
    }

    String jsonName() {
        return jsonName;
    }

    boolean integral() {
        return integral;
    }

    MetricValue of(RunTelemetry telemetry) {
        return accessor.apply(telemetry);
    }

    static boolean isTokenMetric(TelemetryField field) {
        return field.ordinal() <= CLIENT_TIME_PER_OUTPUT_TOKEN_MS.ordinal();
    }

}
