package dev.orket.cli;

import dev.orket.core.sweep.SweepEvent;
import dev.orket.core.sweep.SweepListener;
import java.io.PrintWriter;

/**
 * A progress line with an ETA, built on the sweep's events: rewritten in place on a terminal, one line every tenth
 * of the work otherwise (CI logs stay short); blocked cells, warnings, torn lines, thermal waits and the canary
 * verdict as {@code note:} lines.
 */
final class ProgressLine implements SweepListener {

    private final PrintWriter err;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private int lastDecile = -1;

    ProgressLine(PrintWriter err) {
        this.err = err;
        this.terminal = System.console() != null;
    }

    @Override
    public void onEvent(SweepEvent event) {
        if (event instanceof SweepEvent.RunFinished) {
            runFinished((SweepEvent.RunFinished) event);
        } else if (event instanceof SweepEvent.CellBlocked) {
            SweepEvent.CellBlocked e = (SweepEvent.CellBlocked) event;
            note("cell " + dev.orket.core.sweep.SweepCell.key(e.model(), e.quant(), e.context()) + " blocked: "
                    + e.reason());
        } else if (event instanceof SweepEvent.Warning) {
            note(((SweepEvent.Warning) event).message());
        } else if (event instanceof SweepEvent.TornLineRecovered) {
            SweepEvent.TornLineRecovered e = (SweepEvent.TornLineRecovered) event;
            note("torn last line " + e.lineNumber() + " of " + e.ledgerFile() + " (" + e.bytes() + " bytes) moved to "
                    + e.movedTo() + "; its run will be done again");
        } else if (event instanceof SweepEvent.ThermalWait) {
            SweepEvent.ThermalWait e = (SweepEvent.ThermalWait) event;
            if (!e.settled()) {
                note("thermal gate did not settle before " + e.runId() + ": " + e.detail());
            }
        } else if (event instanceof SweepEvent.CanaryFinished) {
            SweepEvent.CanaryFinished e = (SweepEvent.CanaryFinished) event;
            if (!e.verdict().passed()) {
                note("canary gate failed: " + e.verdict().reasons());
            }
        }
    }

    private void runFinished(SweepEvent.RunFinished run) {
        int done = run.done();
        int remaining = run.remaining();
        int total = done + remaining;
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        long etaSeconds = done == 0 ? 0 : Math.round(elapsed / done * remaining);
        String line = String.format("[%d/%d %3d%%] eta %d:%02d  %s%s %s", done, total,
                total == 0 ? 100 : 100 * done / total, etaSeconds / 60, etaSeconds % 60, run.runId(),
                run.attempt() > 1 ? " (attempt " + run.attempt() + ")" : "",
                run.telemetry().outcome().terminalState().jsonName()
                        + (run.telemetry().validity().valid() ? "" : " (invalid)"));
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

    private void note(String message) {
        if (terminal) {
            err.print("\r\u001b[K");
        }
        err.println("note: " + message);
        err.flush();
    }
}
