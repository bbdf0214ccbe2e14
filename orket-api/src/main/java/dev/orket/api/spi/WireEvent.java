package dev.orket.api.spi;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.RunQualityReason;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a provider observed on the wire, in canonical terms. The recorder timestamps each event when
 * it is recorded, so a provider reports an event the moment it observes it.
 *
 * <p>Order: optionally the connection ({@link ConnectStarted} then {@link Connected}, or
 * {@link ConnectionReused}), {@link RequestSent}, {@link ResponseStarted}, then {@link ContentDelta}s (streaming) or
 * one {@link ResponseBody} (non-streaming), with {@link ServerUsage}, {@link ServerTimings},
 * {@link ServerFacts} and {@link QualityFlag} wherever they are learnt, then exactly one of
 * {@link Completed}, {@link Failed}, {@link Cancelled}. See {@code docs/state-machine.md}.
 *
 * @since 0.1
 */
public sealed interface WireEvent {

    /**
     * The client began opening a new connection to the server for this request: the origin of
     * {@code client_connect_ms}. Reported only when the connection is certainly new.
     *
     * @since 0.2
     */
    record ConnectStarted() implements WireEvent {}

    /**
     * The new connection opened since {@link ConnectStarted} is ready: the request's head is about to
     * be written on it. Connect time ends here and is never part of wall time or TTFT.
     *
     * @since 0.2
     */
    record Connected() implements WireEvent {}

    /**
     * The request goes out on a connection that an earlier exchange may have left open, so this run
     * has no connect time of its own ({@code client_connect_ms} is null with reason
     * {@code connection_reused}).
     *
     * @since 0.2
     */
    record ConnectionReused() implements WireEvent {}

    /**
     * The request's last byte was handed to the transport (after any connect): the origin of wall
     * time and client TTFT, the same instant for every provider.
     */
    record RequestSent() implements WireEvent {}

    /** The response's status line and headers arrived. */
    record ResponseStarted(int httpStatus) implements WireEvent {
        public ResponseStarted {
            if (httpStatus < 100 || httpStatus > 599) {
                throw new IllegalArgumentException("httpStatus must be in [100, 599] but was " + httpStatus);
            }
        }
    }

    /**
     * A streamed piece of generated content arrived. The first one is the first token.
     *
     * @param text the generated text of the chunk, never null (may be empty)
     * @param tokenCount tokens in the chunk when the server says, or null
     */
    record ContentDelta(String text, @Nullable Integer tokenCount) implements WireEvent {
        public ContentDelta {
            Objects.requireNonNull(text, "text");
            if (tokenCount != null && tokenCount < 0) {
                throw new IllegalArgumentException("tokenCount must be >= 0 but was " + tokenCount);
            }
        }
    }

    /** The whole generated content of a non-streaming response arrived. */
    record ResponseBody(String text) implements WireEvent {
        public ResponseBody {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Token counts the server reported, exactly as it said them: the recorder, not the provider, judges a
     * negative or implausibly large count ({@code docs/telemetry.md}, plausible bounds), so a provider never
     * clamps, drops or throws over one. Null fields are not reported; a later event fills in what an earlier
     * one left null.
     *
     * @param promptTokens prompt tokens, cached ones included
     * @param cachedPromptTokens prompt tokens served from the KV cache
     * @param outputTokens generated tokens
     */
    record ServerUsage(@Nullable Long promptTokens, @Nullable Long cachedPromptTokens, @Nullable Long outputTokens)
            implements WireEvent {

        /** Counts that fit an {@code int}, as most servers' do. */
        public ServerUsage(@Nullable Integer promptTokens, @Nullable Integer cachedPromptTokens,
                @Nullable Integer outputTokens) {
            this(widen(promptTokens), widen(cachedPromptTokens), widen(outputTokens));
        }

        private static @Nullable Long widen(@Nullable Integer value) {
            return value == null ? null : Long.valueOf(value.longValue());
        }
    }

    /**
     * Durations the server reported, converted to milliseconds by the provider and otherwise exactly as the
     * server said them: the recorder judges a negative, non-finite or implausible duration
     * ({@code docs/telemetry.md}, plausible bounds), so a provider never clamps, drops or throws over one.
     * Null fields are not reported.
     *
     * @param promptMs prompt evaluation time
     * @param generationMs generation time
     * @param loadMs model load time
     */
    record ServerTimings(@Nullable Double promptMs, @Nullable Double generationMs, @Nullable Double loadMs)
            implements WireEvent {}

    /** Facts about the server's configuration for this run. */
    record ServerFacts(@Nullable Integer contextSize) implements WireEvent {
        public ServerFacts {
            requireNonNegative(contextSize, "contextSize");
        }
    }

    /** Something the provider saw that pollutes the measurement, with a human detail. */
    record QualityFlag(RunQualityReason reason, String detail) implements WireEvent {
        public QualityFlag {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            if (reason.unrecognized()) {
                throw new IllegalArgumentException("a provider flags a known reason, never UNRECOGNIZED");
            }
        }
    }

    /** The server finished the response; the run completed. */
    record Completed(@Nullable FinishReason finishReason) implements WireEvent {}

    /**
     * The run failed.
     *
     * @param kind what went wrong
     * @param message the server's or the client's words, never null
     * @param httpStatus the HTTP status when there was a response, or null
     */
    record Failed(FailureKind kind, String message, @Nullable Integer httpStatus) implements WireEvent {
        public Failed {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }
    }

    /** The caller cancelled the run. */
    record Cancelled(String reason) implements WireEvent {
        public Cancelled {
            Objects.requireNonNull(reason, "reason");
        }
    }

    private static void requireNonNegative(@Nullable Number value, String name) {
        if (value != null && (value.doubleValue() < 0 || Double.isNaN(value.doubleValue()))) {
            throw new IllegalArgumentException(name + " must be >= 0 but was " + value);
        }
    }
}
