package dev.orket.core.telemetry;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunRequest;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything the recorder observed about one ended run: monotonic timestamps in nanoseconds and the
 * figures the server reported, before any arithmetic. The input of {@link TelemetryCalculator}.
 *
 * @param request the request that was run
 * @param providerId the provider that ran it
 * @param startedAt wall-clock time at creation
 * @param createdNanos when the recorder was created
 * @param requestSentNanos when the request was sent, or null if it never was
 * @param firstTokenNanos when the first content chunk arrived, or null
 * @param lastTokenNanos when the last content chunk arrived, or null
 * @param endNanos when the terminal event was recorded
 * @param chunkCount content chunks received
 * @param chunkTokenSum the sum of per-chunk token counts, or null when any chunk did not say
 * @param promptTokens server-reported prompt tokens as the server said them (not yet judged), or null
 * @param cachedPromptTokens server-reported cached prompt tokens as said, or null
 * @param outputTokens server-reported output tokens as said, or null
 * @param promptMs server-reported prompt time in ms as said (possibly negative or not finite), or null
 * @param generationMs server-reported generation time in ms as said, or null
 * @param loadMs server-reported load time in ms as said, or null
 * @param contextSize server-reported context size, or null
 * @param qualityFlags quality reasons the provider flagged, with their details
 * @param finalState the terminal state
 * @param finishReason the finish reason, or null
 * @param failureKind the failure kind, present exactly when failed
 * @param failureMessage the failure or cancellation message, or null
 * @param httpStatus the response's HTTP status, or null
 * @param connectStartedNanos when the client began opening a new connection, or null when it opened none
 * @param connectedNanos when that new connection was ready, or null
 * @param connectionReused whether the provider reported that the request went out on a connection left open
 */
public record RunObservation(
        RunRequest request,
        String providerId,
        Instant startedAt,
        long createdNanos,
        @Nullable Long requestSentNanos,
        @Nullable Long firstTokenNanos,
        @Nullable Long lastTokenNanos,
        long endNanos,
        long chunkCount,
        @Nullable Long chunkTokenSum,
        @Nullable Long promptTokens,
        @Nullable Long cachedPromptTokens,
        @Nullable Long outputTokens,
        @Nullable Double promptMs,
        @Nullable Double generationMs,
        @Nullable Double loadMs,
        @Nullable Integer contextSize,
        Map<RunQualityReason, String> qualityFlags,
        RunState finalState,
        @Nullable FinishReason finishReason,
        @Nullable FailureKind failureKind,
        @Nullable String failureMessage,
        @Nullable Integer httpStatus,
        @Nullable Long connectStartedNanos,
        @Nullable Long connectedNanos,
        boolean connectionReused) {

    public RunObservation {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finalState, "finalState");
        qualityFlags = Map.copyOf(qualityFlags);
        if (!finalState.isTerminal()) {
            throw new IllegalArgumentException("finalState must be terminal but was " + finalState);
        }
    }
}
