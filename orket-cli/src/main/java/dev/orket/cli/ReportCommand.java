package dev.orket.cli;

import dev.orket.api.ConfigurationException;
import dev.orket.core.frontier.FrontierCriteria;
import dev.orket.core.frontier.LatencyMetric;
import dev.orket.core.policy.RunPolicy;
import dev.orket.core.recommend.ViewOptions;
import dev.orket.core.report.SweepReport;
import dev.orket.core.sweep.OutputLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code orket report DIR}: re-aggregates a sweep's ledger into summary.json and report.html.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Re-aggregate a sweep's ledger (DIR/runs.jsonl) into DIR/summary.json and DIR/report.html:"
                + " KPIs from valid runs only, each run once by its last attempt, frontier and recommendation. View"
                + " options are recorded in the summary. Refused while another process writes DIR.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "A sweep's output directory.")
    Path directory;

    @Option(names = "--include-invalid", description = "Show rows of invalid runs, marked, in frontier views"
            + " (never in KPIs).")
    boolean includeInvalid;

    @Option(names = "--recommend-from-invalid", description = "Let the recommendation consider invalid rows too;"
            + " it then says so. Needs --include-invalid.")
    boolean recommendFromInvalid;

    @Option(names = "--quality-ratio", defaultValue = "0.95",
            description = "Eligibility: quality at least this fraction of the highest-precision quant's"
                    + " (default ${DEFAULT-VALUE}).")
    double qualityRatio;

    @Option(names = "--latency-ceiling-ms", description = "Eligibility: median client TTFT at most this many ms.")
    Double latencyCeilingMs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (recommendFromInvalid && !includeInvalid) {
            throw new ConfigurationException("--recommend-from-invalid needs --include-invalid");
        }
        if (!Files.isRegularFile(directory.resolve("runs.jsonl"))) {
            throw new ConfigurationException("No run ledger at " + directory.resolve("runs.jsonl")
                    + "; point at a sweep's output directory.");
        }
        ViewOptions options = new ViewOptions(includeInvalid, recommendFromInvalid,
                new FrontierCriteria(qualityRatio, latencyCeilingMs, LatencyMetric.CLIENT_TTFT_MS));
        String sweepId = sweepIdOf(directory);
        SweepReport.Written report;
        try (OutputLock lock = OutputLock.acquire(directory)) {
            SweepCommand.noteStaleLock(spec.commandLine().getErr(), lock);
            report = SweepReport.write(lock, sweepId, options, RunPolicy.DEFAULT);
        }
        SweepOutput.printLedgerWarnings(spec.commandLine().getErr(), report);
        SweepOutput.printReport(spec.commandLine().getOut(), report);
        return ExitCodes.OK;
    }

    /** The sweep id the manifest recorded, or the directory's name when there is no manifest. */
    private static String sweepIdOf(Path directory) {
        Path manifest = directory.resolve("sweep_manifest.json");
        if (Files.isRegularFile(manifest)) {
            try {
                var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest.toFile());
                if (node != null && node.path("sweep_id").isTextual()) {
                    return node.path("sweep_id").asText();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + manifest, e);
            }
        }
        return directory.toAbsolutePath().normalize().getFileName().toString();
    }
}
