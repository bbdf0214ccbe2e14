package dev.orket.cli;

import dev.orket.core.kpi.CellKpis;
import dev.orket.core.report.SweepReport;
import dev.orket.core.sweep.SweepEngine;
import dev.orket.core.sweep.SweepHandle;
import dev.orket.core.sweep.SweepOutcome;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Runs a sweep for a command: on its own thread, stopped at the current run by SIGINT or SIGTERM (the run in flight
 * is written as {@code CANCELLED}, every ledger stays consistent, the process exits 130 with
 * {@code interrupted; resume with --resume}); and judges the finished sweep's exit code.
 */
final class SweepRunner {

    /** How long a signal waits for the run in flight to be cancelled and written before the process exits anyway. */
    private static final Duration SIGNAL_GRACE = Duration.ofSeconds(30);

    private SweepRunner() {}

    /** Runs the engine to its end, cancelling it when the process is asked to stop. */
    static SweepOutcome run(SweepEngine engine, PrintWriter err) {
        return run(engine, err, () -> { });
    }

    /**
     * Runs the engine to its end, cancelling it when the process is asked to stop.
     *
     * @param beforeExit what must still happen when a signal ends the process (flushing an exporter)
     */
    static SweepOutcome run(SweepEngine engine, PrintWriter err, Runnable beforeExit) {
        SweepHandle handle = engine.start();
        Thread onSignal = new Thread(() -> {
            handle.cancel();
            try {
                handle.await(SIGNAL_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // The sweep failed while stopping; the message below still holds.
            }
            beforeExit.run();
            err.println(interruptedMessage());
            err.flush();
            // A shutdown hook cannot set the exit status any other way; halt skips no other hook's work we need.
            Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
        }, "orket-signal");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            return handle.await();
        } catch (InterruptedException e) {
            handle.cancel();
            Thread.currentThread().interrupt();
            try {
                return handle.await();
            } catch (InterruptedException again) {
                throw new IllegalStateException("interrupted twice while the sweep was stopping", again);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook reports and exits.
            }
        }
    }

    static String interruptedMessage() {
        return "orket: interrupted; resume with --resume";
    }

    /**
     * Exit 1 with one line when the sweep ended without a single valid run (every cell blocked, or every run
     * invalid), else 0.
     */
    static int judge(PrintWriter out, SweepOutcome outcome, SweepReport.Written report) {
        if (report.summary().kpis().validRuns() > 0) {
            return ExitCodes.OK;
        }
        out.println("sweep " + outcome.sweepId() + " has no valid run: " + whyNoValidRun(outcome, report));
        return ExitCodes.CHECK_FAILED;
    }

    private static String whyNoValidRun(SweepOutcome outcome, SweepReport.Written report) {
        if (report.summary().kpis().totalRuns() == 0) {
            return outcome.blockedCells().isEmpty() ? "no measured run was recorded"
                    : "every cell was blocked (" + String.join("; ", outcome.blockedCells().entrySet().stream()
                            .map(e -> e.getKey() + ": " + firstLine(e.getValue())).toList()) + ")";
        }
        Map<String, Long> reasons = new TreeMap<>();
        for (CellKpis row : report.summary().kpis().invalidRows()) {
            row.excludedByReason().forEach((reason, count) -> reasons.merge(reason, count, Long::sum));
        }
        return report.summary().kpis().totalRuns() + " run(s), all invalid: " + reasons.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(3).map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "))
                + (outcome.blockedCells().isEmpty() ? "" : "; " + outcome.blockedCells().size() + " cell(s) blocked");
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
