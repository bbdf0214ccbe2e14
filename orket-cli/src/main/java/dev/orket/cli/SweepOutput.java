package dev.orket.cli;

import dev.orket.core.artifact.LedgerAttempts;
import dev.orket.core.frontier.FrontierRow;
import dev.orket.core.kpi.LedgerReading;
import dev.orket.core.recommend.Recommendation;
import dev.orket.core.report.SweepReport;
import dev.orket.core.sweep.SweepOutcome;
import java.io.PrintWriter;
import java.util.List;

/**
 * What a finished sweep prints: where its artifacts are and what it recommends.
 */
final class SweepOutput {

    private SweepOutput() {}

    static void print(PrintWriter out, SweepOutcome outcome, SweepReport.Written report) {
        out.println("sweep " + outcome.sweepId() + ": " + outcome.status().name().toLowerCase(java.util.Locale.ROOT)
                + ", " + outcome.runsExecuted() + " run(s) executed, " + outcome.runsResumed() + " resumed");
        for (var torn : outcome.tornLines()) {
            out.println("torn ledger line " + torn.lineNumber() + " moved to " + torn.movedTo());
        }
        outcome.blockedCells().forEach((cell, reason) -> out.println("blocked " + cell + ": " + reason));
        printReport(out, report);
    }

    /** The most items of one kind listed in a warning; the rest are counted. */
    private static final int LISTED = 5;

    /**
     * Warns about what reading the ledger found: repeated lines counted once, planned runs that are missing,
     * runs the plan does not list.
     */
    static void printLedgerWarnings(PrintWriter err, SweepReport.Written report) {
        LedgerReading ledger = report.ledger();
        int shown = 0;
        for (LedgerAttempts.Duplicate d : ledger.duplicates()) {
            if (shown++ == LISTED) {
                err.println("warning: and " + (ledger.duplicates().size() - LISTED) + " more repeated line(s)");
                break;
            }
            err.println("warning: runs.jsonl line " + d.line() + " repeats line " + d.firstLine() + " (run " + d.runId()
                    + ") byte for byte; the run counts once");
        }
        if (!ledger.missingRuns().isEmpty()) {
            List<String> missing = ledger.missingRuns();
            err.println("warning: " + missing.size() + " planned run(s) are missing from runs.jsonl (blocked cells, or"
                    + " an unfinished sweep to continue with --resume): " + String.join(", ",
                            missing.subList(0, Math.min(LISTED, missing.size())))
                    + (missing.size() > LISTED ? ", …" : ""));
        }
        if (ledger.unplannedRuns() > 0) {
            err.println("warning: runs.jsonl holds " + ledger.unplannedRuns() + " run(s) that sweep_manifest.json does"
                    + " not plan; they are counted");
        }
    }

    /** Each model's recommendation (or why there is none), then where the summary and the report are. */
    static void printReport(PrintWriter out, SweepReport.Written report) {
        for (Recommendation r : report.summary().recommendations()) {
            FrontierRow winner = r.winner();
            String model = r.group().model() + (r.group().context() == null ? "" : " at context "
                    + r.group().context());
            if (winner == null) {
                out.println("no recommendation for " + model + ": " + r.noRecommendationReason());
            } else {
                FrontierRow runnerUp = r.runnerUp();
                out.println("recommendation for " + model + ": " + winner.quantTag()
                        + (runnerUp == null ? "" : " (runner-up " + runnerUp.quantTag() + ")")
                        + (r.notes().isEmpty() ? "" : " — " + r.notes().get(0)));
            }
        }
        if (report.contextCeilings() != null) {
            for (dev.orket.core.recommend.ContextCeilings.Ceiling c : report.contextCeilings().ceilings()) {
                List<String> failed = new java.util.ArrayList<>();
                for (dev.orket.core.recommend.ContextCeilings.PerContext p : c.perContext()) {
                    if (!p.passed()) {
                        failed.add(p.context() + " " + p.reasons());
                    }
                }
                out.println("context ceiling of " + c.model() + "/" + c.quantTag() + ": "
                        + (c.contextCeiling() == null ? "none" : c.contextCeiling().toString())
                        + (failed.isEmpty() ? "" : " (failed: " + String.join(", ", failed) + ")"));
            }
        }
        out.println("summary: " + report.summaryFile());
        out.println("report:  " + report.reportFile());
    }
}
