package dev.orket.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who and what a run was: the labels every telemetry record carries.
 *
 * <p>{@code model} is the name the server knows; {@code modelFamily}, when present, is the model the quant
 * belongs to, which KPIs and frontiers group quants by. {@code contextSize} is the context the run asked for
 * ({@link RunRequest#contextSize()}); runs asked at different contexts are different KPI cells (a context sweep), and
 * what the server used is the record's {@code server_context_size}.
 *
 * @param contextSize the context size in tokens the run asked for, or null when it asked for none
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
        @Nullable String modelFamily,
        @Nullable Integer contextSize) {

    public RunIdentity {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(executionLane, "executionLane");
        Objects.requireNonNull(vramProfile, "vramProfile");
        if (contextSize != null && contextSize <= 0) {
            throw new IllegalArgumentException("contextSize must be > 0 but was " + contextSize);
        }
    }

    /** An identity that asked for no context size. */
    public RunIdentity(String runId, @Nullable String sweepId, @Nullable String sessionId, String provider,
            String model, @Nullable String quantTag, boolean stream, ExecutionLane executionLane,
            VramProfile vramProfile, @Nullable String modelFamily) {
        this(runId, sweepId, sessionId, provider, model, quantTag, stream, executionLane, vramProfile, modelFamily,
                null);
    }

    /** The identity of a request run by the given provider. */
    public static RunIdentity of(RunRequest request, String providerId) {
        return new RunIdentity(request.runId(), request.sweepId(), request.sessionId(), providerId, request.model(),
                request.quantTag(), request.stream(), request.executionLane(), request.vramProfile(),
                request.modelFamily(), request.contextSize());
    }
}
