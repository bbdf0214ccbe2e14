package dev.orket.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a run ended.
 *
 * @param terminalState the one terminal state the run reached
 * @param finishReason why generation stopped, or null when the run did not complete or the server did not say
 * @param failureKind what went wrong, present exactly when the run failed
 * @param failureMessage the server's or the client's words about the failure, or null
 * @param httpStatus the HTTP status of the response, or null when there was none
 * @since 0.1
 */
public record RunOutcome(
        TerminalState terminalState,
        @Nullable FinishReason finishReason,
        @Nullable FailureKind failureKind,
        @Nullable String failureMessage,
        @Nullable Integer httpStatus) {

    public RunOutcome {
        Objects.requireNonNull(terminalState, "terminalState");
        // A state from a newer writer may or may not carry a failure kind.
        if (terminalState != TerminalState.UNRECOGNIZED && (terminalState == TerminalState.FAILED) != (failureKind != null)) {
            throw new IllegalArgumentException(
                    "failureKind must be present exactly when the run failed; state " + terminalState
                            + ", failureKind " + failureKind);
        }
    }
}
