package dev.orket.core.telemetry;

/**
 * The states of one run. Terminal states accept no event.
 *
 * @since 0.1
 */
public enum RunState {
    CREATED,
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
