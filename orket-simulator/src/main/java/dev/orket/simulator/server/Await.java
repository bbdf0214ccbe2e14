package dev.orket.simulator.server;

/**
 * What the client's recorder must record after a script step's bytes are written before the server
 * moves the virtual clock on (the lock-step rule, {@code docs/testkit.md}).
 *
 * @since 0.1
 */
public enum Await {
    /** Nothing: the bytes cause no timed event (an SSE ping, a role-only delta, a usage-only chunk, {@code [DONE]}). */
    NOTHING,
    /** A {@code ResponseStarted}: the status line and headers. */
    RESPONSE_STARTED,
    /** A {@code ContentDelta}: a chunk carrying generated text. */
    CONTENT,
    /** A terminal event ({@code Completed}, {@code Failed} or {@code Cancelled}). */
    TERMINAL
}
