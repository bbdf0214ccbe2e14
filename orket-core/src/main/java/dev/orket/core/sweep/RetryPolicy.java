package dev.orket.core.sweep;

import dev.orket.api.FailureKind;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which runs a sweep does again, and which failures open its circuit breaker ({@code docs/sweep.md}). A run whose
 * last attempt failed for a reason that may pass — the connection, a timeout, a 5xx, a busy or loading server, a
 * crashed managed server, an interrupted sweep — is attempted again on {@code --resume} until it has had
 * {@code max_attempts}; a run the server rejected (4xx, a missing model, a prompt too long) is not, since asking
 * again gives the same answer.
 *
 * @since 0.1
 */
public final class RetryPolicy {

    /** Failure kinds a later attempt may not meet. */
    private static final Set<FailureKind> RETRYABLE = EnumSet.of(FailureKind.CONNECTION_REFUSED,
            FailureKind.CONNECTION_FAILED, FailureKind.CONNECTION_CLOSED, FailureKind.TIMEOUT, FailureKind.SERVER_ERROR,
            FailureKind.SERVER_BUSY, FailureKind.MODEL_LOADING, FailureKind.INCOMPLETE_RESPONSE,
            FailureKind.STREAM_ERROR);

    /** Failure kinds that say the server cannot be reached or does not answer: what the circuit breaker counts. */
    private static final Set<FailureKind> CONNECTION_LEVEL = EnumSet.of(FailureKind.CONNECTION_REFUSED,
            FailureKind.CONNECTION_FAILED, FailureKind.CONNECTION_CLOSED, FailureKind.TIMEOUT);

    private RetryPolicy() {}

    /**
     * Whether a run that ended like this may be attempted again: a retryable failure kind, any 5xx answer except 501
     * Not Implemented, or a cancelled run (an interrupted sweep).
     */
    public static boolean isRetryable(RunTelemetry telemetry) {
        TerminalState state = telemetry.outcome().terminalState();
        if (state == TerminalState.CANCELLED) {
            return true;
        }
        if (state != TerminalState.FAILED) {
            return false;
        }
        Integer status = telemetry.outcome().httpStatus();
        if (status != null && status >= 500 && status <= 599 && status != 501) {
            return true;
        }
        return RETRYABLE.contains(telemetry.outcome().failureKind());
    }

    /** Whether a run failed at the connection: refused, failed, closed or timed out. */
    public static boolean isConnectionLevel(RunTelemetry telemetry) {
        return telemetry.outcome().terminalState() == TerminalState.FAILED
                && CONNECTION_LEVEL.contains(telemetry.outcome().failureKind());
    }

    /**
     * The attempt a run needs next, or 0 when it needs none: 1 for a run never attempted, last + 1 for a run whose
     * last attempt is retryable and below {@code maxAttempts}.
     *
     * @param last the run's last recorded attempt, or null
     * @param maxAttempts attempts allowed per run
     */
    public static int nextAttempt(@Nullable LedgerEntry last, int maxAttempts) {
        if (last == null) {
            return 1;
        }
        if (last.attempt() < maxAttempts && isRetryable(last.telemetry())) {
            return last.attempt() + 1;
        }
        return 0;
    }
}
