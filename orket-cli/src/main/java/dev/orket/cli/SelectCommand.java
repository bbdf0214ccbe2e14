package dev.orket.cli;

import dev.orket.core.select.Candidate;
import dev.orket.core.select.ModelSelector;
import dev.orket.core.select.Selection;
import dev.orket.core.select.SelectionBlock;
import dev.orket.core.select.SelectionConstraints;
import dev.orket.core.select.SelectionJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code orket select SUMMARY…}: the (model, quant, context) that fits a VRAM budget and a quality floor.
 */
@Command(name = "select", mixinStandardHelpOptions = true,
        description = "From one or more sweep summaries of one lane and VRAM profile, pick the (model, quant, context)"
                + " that meets every constraint, best by the frontier's rules, with its reasons and the runner-up"
                + " (docs/model-selector.md). Exits 1, naming what blocked each candidate, when nothing fits.")
final class SelectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SUMMARY", arity = "1..*", description = "summary.json files of sweeps.")
    List<Path> summaries;

    @Option(names = "--vram-budget-mib", required = true, description = "The most median peak VRAM, in MiB.")
    long vramBudgetMib;

    @Option(names = "--quality-floor", required = true, description = "The least median quality score, in [0, 1].")
    double qualityFloor;

    @Option(names = "--latency-ceiling-ms", description = "The most median client TTFT, in ms.")
    @Nullable Double latencyCeilingMs;

    @Option(names = "--context", description = "The least context, in tokens, the candidate must have run (and, in a"
            + " context sweep, passed) at.")
    @Nullable Integer context;

    @Option(names = "--json", description = "Print the selection as JSON (docs/specs/model-selection.schema.json).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SelectionConstraints constraints;
        try {
            constraints = new SelectionConstraints(vramBudgetMib, qualityFloor, latencyCeilingMs, context);
        } catch (IllegalArgumentException e) {
            throw new dev.orket.api.ConfigurationException("Invalid constraint: " + e.getMessage());
        }
        Selection selection = ModelSelector.select(summaries, constraints);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(SelectionJson.toJson(selection));
        } else {
            print(out, selection);
        }
        return selection.winner() == null ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
    }

    private static void print(PrintWriter out, Selection selection) {
        Candidate winner = selection.winner();
        if (winner == null) {
            out.println("nothing fits (" + selection.executionLane().jsonName() + "/"
                    + selection.vramProfile().jsonName() + "):");
        } else {
            out.println("selected " + winner.label() + " (" + selection.executionLane().jsonName() + "/"
                    + selection.vramProfile().jsonName() + ", decision " + selection.decision() + ")");
            Candidate runnerUp = selection.runnerUp();
            out.println("runner-up " + (runnerUp == null ? "none" : runnerUp.label()));
        }
        for (String reason : selection.reasons()) {
            out.println("  " + reason);
        }
        if (winner != null) {
            for (Candidate c : selection.candidates()) {
                if (!c.eligible()) {
                    out.println("  blocked " + c.label() + ": " + c.blockedBy().stream().map(SelectionBlock::jsonName)
                            .collect(Collectors.joining(", ")));
                }
            }
        }
    }
}
