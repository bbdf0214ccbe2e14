package dev.orket.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who and what a run was: the labels every telemetry record carries.
 *
 * <p>{@code model} is the name the server knows; {@code modelFamily}, when present, is the model the quant
 * belongs to, which KPIs and frontiers group quants by.
 *
 * @since 0.1
 */
public record RunIdentity(
        String runId,
        @Nullable String sweepId,
        @Nullable String sessionId,
        String provider,
        String model,
        @Nullable String quantTag,
        boolean stream,
        ExecutionLane executionLane,
        VramProfile vramProfile,
        @Nullable String modelFamily) {

    public RunIdentity {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(executionLane, "executionLane");
        Objects.requireNonNull(vramProfile, "vramProfile");
    }

    /** The identity of a request run by the given provider. */
    public static RunIdentity of(RunRequest request, String providerId) {
        return new RunIdentity(request.runId(), request.sweepId(), request.sessionId(), providerId, request.model(),
                request.quantTag(), request.stream(), request.executionLane(), request.vramProfile(),
                request.modelFamily());
    }
}
