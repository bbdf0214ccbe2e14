package dev.orket.cli;

import dev.orket.core.vram.ModelFacts;
import dev.orket.core.vram.VramAnalysis;
import dev.orket.core.vram.VramAnalysisJson;
import dev.orket.core.vram.VramAnalyzer;
import dev.orket.core.vram.VramCell;
import dev.orket.core.vram.VramFlag;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code orket analyze}: experiments that read a finished sweep; informational, never a gate.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyses of a finished sweep's output directory. Informational: they never change validity,"
                + " KPIs or recommendations.",
        subcommands = {AnalyzeCommand.Vram.class, CommandLine.HelpCommand.class})
final class AnalyzeCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code orket analyze vram DIR}. */
    @Command(name = "vram", mixinStandardHelpOptions = true,
            description = "Per cell of a sweep: weights and KV cache (from DIR/model_facts.json or --gguf-dir),"
                    + " baseline VRAM before load, measured peak, unexplained MiB = peak - baseline - weights - KV,"
                    + " and the slope of post-run VRAM over runs, with flags above the documented thresholds"
                    + " (docs/vram-analyzer.md). Reads DIR/sweep_manifest.json, the ledgers and DIR/sidecar/*.jsonl.")
    static final class Vram implements Callable<Integer> {

        @Parameters(paramLabel = "DIR", description = "A sweep's output directory.")
        Path directory;

        @Option(names = "--json", description = "Print the analysis as JSON (docs/specs/vram-analysis.schema.json).")
        boolean json;

        @Option(names = "--gguf-dir", paramLabel = "DIR", description = "Read weights and KV shape from the headers"
                + " of the *.gguf files in this folder, matched to cells by quant tag.")
        @Nullable Path ggufDir;

        @Option(names = "--gpu-index", description = "The GPU whose samples to read (default: the first sample's).")
        @Nullable Integer gpuIndex;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<ModelFacts> facts = new ArrayList<>();
            if (ggufDir != null) {
                facts.addAll(VramAnalyzer.factsFromGgufDir(ggufDir));
            }
            VramAnalyzer analyzer = VramAnalyzer.withFacts(facts);
            if (gpuIndex != null) {
                analyzer = analyzer.gpuIndex(gpuIndex);
            }
            VramAnalysis analysis = analyzer.analyze(directory);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(VramAnalysisJson.toJson(analysis));
            } else {
                print(out, analysis);
            }
            return ExitCodes.OK;
        }

        private static void print(PrintWriter out, VramAnalysis analysis) {
            out.printf(Locale.ROOT, "VRAM analysis of sweep %s (%s/%s), informational: flags above %.0f %% unexplained"
                    + " or %.1f MiB/run growth%n", analysis.sweepId(), analysis.executionLane().jsonName(),
                    analysis.vramProfile().jsonName(), analysis.thresholds().unexplainedShare() * 100,
                    analysis.thresholds().slopeMibPerRun());
            out.printf(Locale.ROOT, "%-28s %5s %8s %8s %8s %8s %12s %10s  %s%n", "cell", "runs", "weights", "kv",
                    "baseline", "peak", "unexplained", "slope/run", "flags");
            for (VramCell cell : analysis.cells()) {
                VramCell.Breakdown b = cell.breakdown();
                String name = cell.model() + " " + cell.quantTag() + (cell.context() == null ? "" : " @" + cell.context());
                out.printf(Locale.ROOT, "%-28s %5d %8s %8s %8s %8s %12s %10s  %s%n", name, cell.trend().runs(),
                        text(b.weightsMib()), text(b.kvCacheMib()), text(b.baselineMib()), text(b.measuredPeakMib()),
                        text(b.unexplainedMib()) + (b.unexplainedShare() == null ? ""
                                : String.format(Locale.ROOT, " (%.0f%%)", b.unexplainedShare() * 100)),
                        cell.trend().slopeMibPerRun() == null ? "-"
                                : String.format(Locale.ROOT, "%.2f", cell.trend().slopeMibPerRun()),
                        cell.flags().stream().map(VramFlag::jsonName).collect(Collectors.joining(",")));
                if (!cell.unavailableReasons().isEmpty()) {
                    out.println("    absent: " + cell.unavailableReasons().entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue().jsonName()).collect(Collectors.joining(", ")));
                }
            }
        }

        private static String text(@Nullable Long value) {
            return value == null ? "-" : value.toString();
        }
    }
}
