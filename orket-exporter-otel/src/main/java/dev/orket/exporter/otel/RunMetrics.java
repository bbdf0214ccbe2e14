package dev.orket.exporter.otel;

import static dev.orket.exporter.otel.GenAiConventions.DURATION_BUCKETS;
import static dev.orket.exporter.otel.GenAiConventions.ERROR_TYPE;
import static dev.orket.exporter.otel.GenAiConventions.EXECUTION_LANE;
import static dev.orket.exporter.otel.GenAiConventions.OPERATION_DURATION;
import static dev.orket.exporter.otel.GenAiConventions.OPERATION_NAME;
import static dev.orket.exporter.otel.GenAiConventions.PROVIDER_NAME;
import static dev.orket.exporter.otel.GenAiConventions.QUANT_TAG;
import static dev.orket.exporter.otel.GenAiConventions.REQUEST_MODEL;
import static dev.orket.exporter.otel.GenAiConventions.SECONDS;
import static dev.orket.exporter.otel.GenAiConventions.TIME_PER_OUTPUT_CHUNK;
import static dev.orket.exporter.otel.GenAiConventions.TIME_TO_FIRST_CHUNK;
import static dev.orket.exporter.otel.GenAiConventions.TOKENS;
import static dev.orket.exporter.otel.GenAiConventions.TOKEN_BUCKETS;
import static dev.orket.exporter.otel.GenAiConventions.TOKEN_TYPE;
import static dev.orket.exporter.otel.GenAiConventions.TOKEN_TYPE_INPUT;
import static dev.orket.exporter.otel.GenAiConventions.TOKEN_TYPE_OUTPUT;
import static dev.orket.exporter.otel.GenAiConventions.TOKEN_USAGE;
import static dev.orket.exporter.otel.GenAiConventions.VALID;
import static dev.orket.exporter.otel.GenAiConventions.VRAM_PROFILE;
import static dev.orket.exporter.otel.GenAiConventions.WARMUP;
import static dev.orket.exporter.otel.GenAiConventions.errorType;
import static dev.orket.exporter.otel.GenAiConventions.operationName;

import dev.orket.api.RunIdentity;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TokenMetrics;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import org.jspecify.annotations.Nullable;

/**
 * The GenAI client metrics of one run: operation duration, token usage and, for streamed runs, time to first chunk
 * and time per output chunk. A figure the record does not have is not recorded (never as zero).
 */
final class RunMetrics {

    private final DoubleHistogram duration;
    private final LongHistogram tokenUsage;
    private final DoubleHistogram timeToFirstChunk;
    private final DoubleHistogram timePerOutputChunk;

    RunMetrics(Meter meter) {
        this.duration = meter.histogramBuilder(OPERATION_DURATION)
                .setUnit(SECONDS)
                .setDescription("GenAI operation duration.")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
        this.tokenUsage = meter.histogramBuilder(TOKEN_USAGE)
                .ofLongs()
                .setUnit(TOKENS)
                .setDescription("Number of input and output tokens used.")
                .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
                .build();
        this.timeToFirstChunk = meter.histogramBuilder(TIME_TO_FIRST_CHUNK)
                .setUnit(SECONDS)
                .setDescription("Time to receive the first chunk, measured from when the client issues the generation"
                        + " request to when the first chunk is received in the response stream.")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
        this.timePerOutputChunk = meter.histogramBuilder(TIME_PER_OUTPUT_CHUNK)
                .setUnit(SECONDS)
                .setDescription("Time per output chunk, recorded for each chunk received after the first one.")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
    }

    /** Records the run's measurements. */
    void record(RunRequest request, RunTelemetry telemetry) {
        Attributes common = common(request, telemetry).build();
        TokenMetrics tokens = telemetry.tokenMetrics();

        Double wallSeconds = telemetry.wallSeconds().value();
        if (wallSeconds != null) {
            AttributesBuilder attributes = common.toBuilder();
            String errorType = errorType(telemetry.outcome());
            if (errorType != null) {
                attributes.put(ERROR_TYPE, errorType);
            }
            duration.record(wallSeconds, attributes.build());
        }

        Double input = tokens.promptTokens().value();
        if (input != null) {
            tokenUsage.record(Math.round(input), common.toBuilder().put(TOKEN_TYPE, TOKEN_TYPE_INPUT).build());
        }
        Double output = tokens.outputTokens().value();
        if (output != null) {
            tokenUsage.record(Math.round(output), common.toBuilder().put(TOKEN_TYPE, TOKEN_TYPE_OUTPUT).build());
        }

        if (!telemetry.identity().stream()) {
            // The conventions: both chunk metrics SHOULD be reported for streaming calls and SHOULD NOT otherwise.
            return;
        }
        Double ttftMs = tokens.clientTtftMs().value();
        if (ttftMs != null) {
            timeToFirstChunk.record(ttftMs / 1000.0, common);
        }
        Double gapSeconds = meanChunkGapSeconds(telemetry);
        if (gapSeconds != null) {
            // One measurement per chunk after the first, as the conventions count them: the histogram's count and sum
            // are exact (chunk_count − 1 gaps spanning first to last chunk); its buckets see every gap at the mean.
            for (long gap = 1; gap < tokens.chunkCount(); gap++) {
                timePerOutputChunk.record(gapSeconds, common);
            }
        }
    }

    /**
     * The mean time between consecutive content chunks of a streamed run, in seconds, or null when the record cannot
     * give it. The record keeps {@code client_time_per_output_token_ms = (t_last − t_first) / (output_tokens − 1)},
     * so {@code t_last − t_first} is that figure times {@code output_tokens − 1} when the server reported its output
     * count (without one the divisor was the sum of per-chunk counts, which the record does not keep), and the
     * {@code chunk_count − 1} gaps between first and last chunk share it.
     */
    static @Nullable Double meanChunkGapSeconds(RunTelemetry telemetry) {
        TokenMetrics tokens = telemetry.tokenMetrics();
        Double perTokenMs = tokens.clientTimePerOutputTokenMs().value();
        Double outputTokens = tokens.outputTokens().value();
        if (!telemetry.identity().stream() || perTokenMs == null || outputTokens == null
                || tokens.chunkCount() < 2) {
            return null;
        }
        double firstToLastMs = perTokenMs * (outputTokens - 1);
        return firstToLastMs / 1000.0 / (tokens.chunkCount() - 1);
    }

    private static AttributesBuilder common(RunRequest request, RunTelemetry telemetry) {
        RunIdentity identity = telemetry.identity();
        AttributesBuilder b = Attributes.builder()
                .put(OPERATION_NAME, operationName(request.promptStyle()))
                .put(PROVIDER_NAME, identity.provider())
                .put(REQUEST_MODEL, identity.model());
        if (identity.quantTag() != null) {
            b.put(QUANT_TAG, identity.quantTag());
        }
        return b.put(EXECUTION_LANE, identity.executionLane().jsonName())
                .put(VRAM_PROFILE, identity.vramProfile().jsonName())
                .put(VALID, telemetry.validity().valid())
                .put(WARMUP, request.warmup());
    }
}
