package dev.orket.core.sweep;

import dev.orket.api.RunTelemetry;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One line of a run ledger: the run's telemetry record plus what the sweep knows about its output.
 *
 * @param telemetry the run telemetry record
 * @param scorer the id of the scorer that judged the output
 * @param qualityScore the output's quality score in [0, 1], or null when it could not be scored
 * @param outputSha256 the SHA-256 of the output text: repeated runs are compared by output, never by timing
 * @param outputText the output text, for baseline agreement after a resume
 * @param attempt which attempt of the run this is, from 1 (the ledger's optional {@code attempt} field); a run
 *     counts by its highest attempt
 * @since 0.1
 */
public record LedgerEntry(RunTelemetry telemetry, String scorer, @Nullable Double qualityScore, String outputSha256,
        String outputText, int attempt) {

    public LedgerEntry {
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(outputSha256, "outputSha256");
        Objects.requireNonNull(outputText, "outputText");
        if (qualityScore != null && !(qualityScore >= 0 && qualityScore <= 1)) {
            throw new IllegalArgumentException("qualityScore must be in [0, 1] but was " + qualityScore);
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1 but was " + attempt);
        }
    }

    /** A first attempt. */
    public LedgerEntry(RunTelemetry telemetry, String scorer, @Nullable Double qualityScore, String outputSha256,
            String outputText) {
        this(telemetry, scorer, qualityScore, outputSha256, outputText, 1);
    }

    /** The run id. */
    public String runId() {
        return telemetry.identity().runId();
    }
}
