package dev.orket.core.telemetry;

/**
 * The states of one run. Terminal states accept no event.
 *
 * @since 0.1
 */
public enum RunState {
    CREATED,
    /** A new connection is being opened ({@code ConnectStarted}). */
    CONNECTING,
    /** The connection is ready ({@code Connected} or {@code ConnectionReused}); the request is being sent. */
    CONNECTED,
    REQUEST_SENT,
    AWAITING_FIRST_TOKEN,
    STREAMING,
    RESPONSE_RECEIVED,
    COMPLETED,
    FAILED,
    CANCELLED;

    /** Whether the run has ended. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
