package dev.orket.core.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a sweep invocation ended.
 *
 * @param sweepId the sweep's id
 * @param outputDir where its artifacts are
 * @param status completed, aborted by the canary gate, or interrupted
 * @param canary the canary verdict
 * @param runsExecuted runs executed by this invocation
 * @param runsResumed runs found already recorded and skipped
 * @param blockedCells cells that did not run or stopped early, {@code model/quant} to the reason (a code with its
 *     detail: {@code vram_preflight:}, {@code server_start_failed:}, {@code server_died:}, {@code not_ready:},
 *     {@code quant_mismatch:}, {@code circuit_open:}); {@code --resume} tries them again
 * @param tornLines torn ledger lines found and moved aside on resume
 * @since 0.1
 */
public record SweepOutcome(String sweepId, Path outputDir, Status status, CanaryVerdict canary, int runsExecuted,
        int runsResumed, Map<String, String> blockedCells, List<RunLedger.TornLine> tornLines) {

    /** How a sweep ended. */
    public enum Status {
        /** Every cell ran or was blocked. */
        COMPLETED,
        /** The canary gate stopped the sweep before its cells. */
        ABORTED_BY_CANARY,
        /** The sweep was asked to stop (a signal, {@link SweepHandle#cancel()}, an interrupt); resume it. */
        INTERRUPTED
    }

    public SweepOutcome {
        // In plan order: what a console line lists first is the first cell the sweep reached.
        blockedCells = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(blockedCells));
        tornLines = List.copyOf(tornLines);
    }
}
