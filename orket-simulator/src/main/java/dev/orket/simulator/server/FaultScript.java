package dev.orket.simulator.server;

import dev.orket.api.FailureKind;
import dev.orket.api.RunQualityReason;
import dev.orket.api.TerminalState;
import dev.orket.api.TokenMetricsStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One injected fault for one dialect and mode: the script to serve and what a correct client records.
 *
 * @param fault the fault
 * @param dialect the dialect the script speaks
 * @param stream whether the run streams
 * @param script the script, or null for {@link Fault#REFUSE_CONNECTION} (use {@link Faults#refusedConnectionUri()})
 * @param terminalState the terminal state a correct client reaches
 * @param failureKind the failure kind, null when the run completes
 * @param httpStatus the HTTP status in the record, or null when there was no response
 * @param qualityReason a quality reason the record must carry, or null
 * @param tokenMetricsStatuses the token metrics statuses that are correct (one, except where a dialect leaves the choice open)
 * @param wall the exact virtual wall time of the run
 * @param needsClientTimeout whether only the client's timeout ends the run
 * @param minChunkCount the fewest content chunks a correct record counts (chunks that arrived before the fault)
 * @param chunkCount the exact content chunk count a correct record shows, or null when real time decides it
 * @since 0.1
 */
public record FaultScript(
        Fault fault,
        ServerDialect dialect,
        boolean stream,
        @Nullable Script script,
        TerminalState terminalState,
        @Nullable FailureKind failureKind,
        @Nullable Integer httpStatus,
        @Nullable RunQualityReason qualityReason,
        Set<TokenMetricsStatus> tokenMetricsStatuses,
        Duration wall,
        boolean needsClientTimeout,
        long minChunkCount,
        @Nullable Long chunkCount) {

    public FaultScript {
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(terminalState, "terminalState");
        tokenMetricsStatuses = Set.copyOf(tokenMetricsStatuses);
        Objects.requireNonNull(wall, "wall");
        if ((terminalState == TerminalState.FAILED) != (failureKind != null)) {
            throw new IllegalArgumentException("failureKind must be present exactly when the run fails");
        }
        if (minChunkCount < 0 || (chunkCount != null && chunkCount < minChunkCount)) {
            throw new IllegalArgumentException("chunk counts must satisfy 0 <= minChunkCount <= chunkCount but were "
                    + minChunkCount + " and " + chunkCount);
        }
    }

    /** A fault whose chunk count the checks do not constrain. */
    public FaultScript(Fault fault, ServerDialect dialect, boolean stream, @Nullable Script script,
            TerminalState terminalState, @Nullable FailureKind failureKind, @Nullable Integer httpStatus,
            @Nullable RunQualityReason qualityReason, Set<TokenMetricsStatus> tokenMetricsStatuses, Duration wall,
            boolean needsClientTimeout) {
        this(fault, dialect, stream, script, terminalState, failureKind, httpStatus, qualityReason,
                tokenMetricsStatuses, wall, needsClientTimeout, 0, null);
    }

    /** A readable name: fault, dialect, mode. */
    public String describe() {
        return fault.name().toLowerCase(java.util.Locale.ROOT) + " (" + dialect.name().toLowerCase(java.util.Locale.ROOT)
                + ", " + (stream ? "streaming" : "non-streaming") + ")";
    }
}
