package dev.orket.simulator.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a generated script puts its events, and the server timings consistent with it.
 *
 * <pre>
 * headers        at headersAt
 * token i        at firstTokenAt + i * tokenGap          (i = 0 .. n-1)
 * final event    at lastToken + tailGap                  (n = 0: at firstTokenAt)
 * non-streaming  whole response at the final event's offset
 *
 * server prompt ms     = firstTokenAt - clientOverhead - load
 * server generation ms = (n - 1) * tokenGap, 0.001 for n = 1 (the first token comes from the prompt batch)
 * server load ms       = load                              (reported by Ollama only)
 * </pre>
 *
 * @param headersAt when the status line and headers are sent
 * @param firstTokenAt when the first token event is sent
 * @param tokenGap time between token events
 * @param tailGap time from the last token to the final event
 * @param clientOverhead the part of time to first token the server does not count (network, parsing)
 * @param load the model load time the server reports (Ollama {@code load_duration})
 * @since 0.1
 */
public record ScriptTimeline(Duration headersAt, Duration firstTokenAt, Duration tokenGap, Duration tailGap,
        Duration clientOverhead, Duration load) {

    /** Headers at 5 ms, first token at 40 ms, then every 10 ms, final event 5 ms after the last, 4 ms overhead, 2 ms load. */
    public static final ScriptTimeline DEFAULT = new ScriptTimeline(Duration.ofMillis(5), Duration.ofMillis(40),
            Duration.ofMillis(10), Duration.ofMillis(5), Duration.ofMillis(4), Duration.ofMillis(2));

    /**
     * Every step at offset zero, server timings all zero: for tests that replay bytes and measure nothing (without a
     * virtual clock nothing is slept).
     *
     * @since 0.2
     */
    public static final ScriptTimeline IMMEDIATE = new ScriptTimeline(Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public ScriptTimeline {
        Objects.requireNonNull(headersAt, "headersAt");
        Objects.requireNonNull(firstTokenAt, "firstTokenAt");
        Objects.requireNonNull(tokenGap, "tokenGap");
        Objects.requireNonNull(tailGap, "tailGap");
        Objects.requireNonNull(clientOverhead, "clientOverhead");
        Objects.requireNonNull(load, "load");
        if (firstTokenAt.compareTo(headersAt) < 0) {
            throw new IllegalArgumentException("firstTokenAt must not be before headersAt");
        }
        if (clientOverhead.plus(load).compareTo(firstTokenAt) > 0) {
            throw new IllegalArgumentException("clientOverhead + load must not exceed firstTokenAt");
        }
    }

    /** Headers at the given time, first token at the given time, the given gap; other values as {@link #DEFAULT}. */
    public static ScriptTimeline of(Duration headersAt, Duration firstTokenAt, Duration tokenGap) {
        return new ScriptTimeline(headersAt, firstTokenAt, tokenGap, DEFAULT.tailGap, DEFAULT.clientOverhead,
                DEFAULT.load);
    }

    /** The offset of token {@code index} (0-based). */
    public Duration tokenAt(int index) {
        return firstTokenAt.plus(tokenGap.multipliedBy(index));
    }

    /** The offset of the final event for an answer of {@code outputTokens} tokens: the run's wall time. */
    public Duration endAt(int outputTokens) {
        return outputTokens == 0 ? firstTokenAt : tokenAt(outputTokens - 1).plus(tailGap);
    }

    /** The server-reported prompt time in ms. */
    public double serverPromptMs() {
        return millis(firstTokenAt.minus(clientOverhead).minus(load));
    }

    /** The server-reported generation time in ms for an answer of {@code outputTokens} tokens. */
    public double serverGenerationMs(int outputTokens) {
        if (outputTokens == 0) {
            return 0.0;
        }
        // llama.cpp clamps generation time to 0.001 ms once one token exists.
        return outputTokens == 1 ? 0.001 : millis(tokenGap.multipliedBy(outputTokens - 1L));
    }

    /** The server-reported load time in ms. */
    public double serverLoadMs() {
        return millis(load);
    }

    static double millis(Duration duration) {
        return duration.toNanos() / 1_000_000.0;
    }
}
