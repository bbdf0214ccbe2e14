package dev.orket.core.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a sweep invocation ended.
 *
 * @param sweepId the sweep's id
 * @param outputDir where its artifacts are
 * @param status completed, or aborted by the canary gate
 * @param canary the canary verdict
 * @param runsExecuted runs executed by this invocation
 * @param runsResumed runs found already recorded and skipped
 * @param blockedCells cells the strict VRAM pre-flight blocked, {@code model/quant} to reason
 * @param tornLines torn ledger lines found and moved aside on resume
 * @since 0.1
 */
public record SweepOutcome(String sweepId, Path outputDir, Status status, CanaryVerdict canary, int runsExecuted,
        int runsResumed, Map<String, String> blockedCells, List<RunLedger.TornLine> tornLines) {

    /** How a sweep ended. */
    public enum Status {
        COMPLETED,
        ABORTED_BY_CANARY
    }

    public SweepOutcome {
        blockedCells = Map.copyOf(blockedCells);
        tornLines = List.copyOf(tornLines);
    }
}
