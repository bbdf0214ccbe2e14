package dev.orket.cli;

import dev.orket.core.sweep.LedgerEntry;
import dev.orket.core.sweep.PlannedRun;
import dev.orket.core.sweep.SweepProgress;
import java.io.PrintWriter;

/**
 * A progress line with an ETA: rewritten in place on a terminal, one line every tenth of the work
 * otherwise (CI logs stay short).
 */
final class ProgressLine implements SweepProgress {

    private final PrintWriter err;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private int lastDecile = -1;

    ProgressLine(PrintWriter err) {
        this.err = err;
        this.terminal = System.console() != null;
    }

    @Override
    public void runFinished(PlannedRun run, LedgerEntry entry, int done, int remaining) {
        int total = done + remaining;
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        long etaSeconds = done == 0 ? 0 : Math.round(elapsed / done * remaining);
        String line = String.format("[%d/%d %3d%%] eta %d:%02d  %s %s", done, total, total == 0 ? 100 : 100 * done / total,
                etaSeconds / 60, etaSeconds % 60, run.runId(), entry.telemetry().outcome().terminalState().jsonName()
                        + (entry.telemetry().validity().valid() ? "" : " (invalid)"));
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            if (remaining == 0) {
                err.println();
            }
        } else {
            int decile = total == 0 ? 10 : 10 * done / total;
            if (decile != lastDecile || remaining == 0) {
                lastDecile = decile;
                err.println(line);
            }
        }
        err.flush();
    }

    @Override
    public void note(String message) {
        if (terminal) {
            err.print("\r\u001b[K");
        }
        err.println("note: " + message);
        err.flush();
    }
}
