package dev.orket.cli;

import dev.orket.core.frontier.FrontierRow;
import dev.orket.core.recommend.Recommendation;
import dev.orket.core.report.SweepReport;
import dev.orket.core.sweep.SweepOutcome;
import java.io.PrintWriter;

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

    /** Each model's recommendation (or why there is none), then where the summary and the report are. */
    static void printReport(PrintWriter out, SweepReport.Written report) {
        for (Recommendation r : report.summary().recommendations()) {
            FrontierRow winner = r.winner();
            if (winner == null) {
                out.println("no recommendation for " + r.group().model() + ": " + r.noRecommendationReason());
            } else {
                FrontierRow runnerUp = r.runnerUp();
                out.println("recommendation for " + r.group().model() + ": " + winner.quantTag()
                        + (runnerUp == null ? "" : " (runner-up " + runnerUp.quantTag() + ")")
                        + (r.notes().isEmpty() ? "" : " — " + r.notes().get(0)));
            }
        }
        out.println("summary: " + report.summaryFile());
        out.println("report:  " + report.reportFile());
    }
}
