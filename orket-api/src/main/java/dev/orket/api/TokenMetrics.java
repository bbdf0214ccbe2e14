package dev.orket.api;

import java.util.Objects;

/**
 * Token counts, server timings and client timings of one run. Every figure is a {@link MetricValue}:
 * a number with its provenance, or its absence with the reason.
 *
 * @param promptTokens prompt tokens, cached ones included
 * @param cachedPromptTokens prompt tokens served from the KV cache
 * @param outputTokens generated tokens
 * @param totalTokens prompt plus output tokens
 * @param serverPromptMs server time spent evaluating the prompt, in milliseconds
 * @param serverGenerationMs server time spent generating, in milliseconds
 * @param loadMs server time spent loading the model for this run, in milliseconds
 * @param promptTokensPerSecond evaluated (uncached) prompt tokens per second of prompt time
 * @param generationTokensPerSecond output tokens per second of generation time
 * @param clientTtftMs client time from request sent to first token, in milliseconds (streaming only)
 * @param clientTimePerOutputTokenMs client time between first and last token over output tokens − 1
 * @param chunkCount number of content chunks the client received
 * @param status whether the server reported token counts and timings
 * @param clientConnectMs client time from starting a new connection to the server until it was ready for the
 *     request, in milliseconds; null with reason {@code connection_reused} when the request went out on a connection
 *     an earlier exchange left open. Never part of wall time or TTFT
 * @since 0.1
 */
public record TokenMetrics(
        MetricValue promptTokens,
        MetricValue cachedPromptTokens,
        MetricValue outputTokens,
        MetricValue totalTokens,
        MetricValue serverPromptMs,
        MetricValue serverGenerationMs,
        MetricValue loadMs,
        MetricValue promptTokensPerSecond,
        MetricValue generationTokensPerSecond,
        MetricValue clientTtftMs,
        MetricValue clientTimePerOutputTokenMs,
        long chunkCount,
        TokenMetricsStatus status,
        MetricValue clientConnectMs) {

    public TokenMetrics {
        Objects.requireNonNull(promptTokens, "promptTokens");
        Objects.requireNonNull(cachedPromptTokens, "cachedPromptTokens");
        Objects.requireNonNull(outputTokens, "outputTokens");
        Objects.requireNonNull(totalTokens, "totalTokens");
        Objects.requireNonNull(serverPromptMs, "serverPromptMs");
        Objects.requireNonNull(serverGenerationMs, "serverGenerationMs");
        Objects.requireNonNull(loadMs, "loadMs");
        Objects.requireNonNull(promptTokensPerSecond, "promptTokensPerSecond");
        Objects.requireNonNull(generationTokensPerSecond, "generationTokensPerSecond");
        Objects.requireNonNull(clientTtftMs, "clientTtftMs");
        Objects.requireNonNull(clientTimePerOutputTokenMs, "clientTimePerOutputTokenMs");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(clientConnectMs, "clientConnectMs");
        if (chunkCount < 0) {
            throw new IllegalArgumentException("chunkCount must be >= 0 but was " + chunkCount);
        }
    }

    /**
     * Token metrics of a record written before {@code client_connect_ms} existed: connect time unavailable with
     * reason {@code input_unavailable}.
     */
    public TokenMetrics(MetricValue promptTokens, MetricValue cachedPromptTokens, MetricValue outputTokens,
            MetricValue totalTokens, MetricValue serverPromptMs, MetricValue serverGenerationMs, MetricValue loadMs,
            MetricValue promptTokensPerSecond, MetricValue generationTokensPerSecond, MetricValue clientTtftMs,
            MetricValue clientTimePerOutputTokenMs, long chunkCount, TokenMetricsStatus status) {
        this(promptTokens, cachedPromptTokens, outputTokens, totalTokens, serverPromptMs, serverGenerationMs, loadMs,
                promptTokensPerSecond, generationTokensPerSecond, clientTtftMs, clientTimePerOutputTokenMs, chunkCount,
                status, MetricValue.unavailable(UnavailableReason.INPUT_UNAVAILABLE));
    }
}
