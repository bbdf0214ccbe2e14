package dev.orket.cli;

import dev.orket.api.ApiKey;
import dev.orket.api.ConfigurationException;
import dev.orket.api.spi.FactoryResolver;
import dev.orket.api.spi.GpuSidecar;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.SidecarConfig;
import dev.orket.core.policy.RunPolicy;
import dev.orket.core.recommend.ViewOptions;
import dev.orket.core.report.SweepReport;
import dev.orket.core.sweep.QuantOrder;
import dev.orket.core.sweep.SessionScoring;
import dev.orket.core.sweep.SweepCell;
import dev.orket.core.sweep.SweepConfig;
import dev.orket.core.sweep.SweepConfigReader;
import dev.orket.core.sweep.SweepEngine;
import dev.orket.core.sweep.SweepOutcome;
import dev.orket.core.sweep.SweepPlan;
import dev.orket.provider.llamacpp.ManagedServerCells;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code orket sweep CONFIG}: runs, resumes or dry-runs a quant sweep.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run a quant sweep from a JSON config (docs/sweep.md): canary gate, warm-ups, measured runs with"
                + " thermal gate and VRAM pre-flight, an append-only ledger, then summary.json and report.html."
                + " Exit 0 when it completed, 1 when the canary gate stopped it.")
final class SweepCommand implements Callable<Integer> {

    @Parameters(paramLabel = "CONFIG", description = "The sweep config (docs/specs/sweep-config.schema.json).")
    Path configFile;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory (default orket-out/<sweep_id or config name>-<time>).")
    Path out;

    @Option(names = "--resume", description = "Continue the sweep in --out from its ledger.")
    boolean resume;

    @Option(names = "--dry-run", description = "Print the resolved matrix, controls, canary and sidecar settings;"
            + " touch nothing.")
    boolean dryRun;

    @Option(names = "--include-invalid", description = "Show rows of invalid runs, marked, in frontier views"
            + " (never in KPIs); recorded in summary.json.")
    boolean includeInvalid;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String text;
        try {
            text = Files.readString(configFile);
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read sweep config " + configFile + ": " + e.getMessage(), e);
        }
        SweepConfig config = ManagedServerCells.withGgufEstimates(SweepConfigReader.parse(text, configFile.toString()),
                configFile.toAbsolutePath().getParent());
        PrintWriter stdout = spec.commandLine().getOut();
        if (dryRun) {
            printPlan(stdout, config, SweepPlan.resolve(config, QuantOrder.HIGHER_PRECISION_FIRST));
            return ExitCodes.OK;
        }
        Path dir = outputDir(config);
        SessionScoring scoring = SessionScoring.forSessions(config.sessions());
        try (InferenceProvider provider = config.managedServer() == null ? provider(config) : null;
                GpuSidecar sidecar = sidecar(config)) {
            SweepEngine.Builder engine = SweepEngine.builder();
            if (provider != null) {
                engine.provider(provider);
            } else {
                Path configDirectory = configFile.toAbsolutePath().getParent();
                engine.providerPerCell("llamacpp", new ManagedServerCells(config, configDirectory, dir));
            }
            SweepOutcome outcome = engine
                    .config(config, SweepEngine.digest(text))
                    .sidecar(sidecar)
                    .outputDir(dir)
                    .scorer(scoring)
                    .higherPrecisionFirst(QuantOrder.HIGHER_PRECISION_FIRST)
                    .progress(new ProgressLine(spec.commandLine().getErr()))
                    .build()
                    .run();
            return finish(stdout, outcome, includeInvalid) == null ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
        }
    }

    /** Writes and prints the summary and report of a finished sweep, or prints why the canary stopped it (null). */
    static SweepReport.@org.jspecify.annotations.Nullable Written finish(PrintWriter stdout, SweepOutcome outcome,
            boolean includeInvalid) {
        if (outcome.status() == SweepOutcome.Status.ABORTED_BY_CANARY) {
            stdout.println("sweep " + outcome.sweepId() + " stopped by the canary gate: " + outcome.canary().reasons());
            stdout.println("canary verdict: " + outcome.outputDir().resolve("canary_verdict.json"));
            return null;
        }
        SweepReport.Written report = SweepReport.write(outcome.outputDir(), outcome.sweepId(),
                new ViewOptions(includeInvalid, false, dev.orket.core.frontier.FrontierCriteria.DEFAULT),
                RunPolicy.DEFAULT);
        SweepOutput.print(stdout, outcome, report);
        return report;
    }

    private Path outputDir(SweepConfig config) {
        if (resume) {
            if (out == null || !Files.isDirectory(out)) {
                throw new ConfigurationException("--resume needs --out naming the existing sweep directory");
            }
            return out;
        }
        Path dir = out;
        if (dir == null) {
            String name = config.sweepId() != null ? config.sweepId()
                    : configFile.getFileName().toString().replaceFirst("\\.json$", "");
            dir = Path.of("orket-out", name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern(
                    "yyyyMMdd-HHmmss")));
        }
        if (Files.exists(dir.resolve("sweep_manifest.json"))) {
            throw new ConfigurationException("Output directory " + dir + " already holds a sweep; pass --resume to"
                    + " continue it or choose another --out.");
        }
        return dir;
    }

    private static InferenceProvider provider(SweepConfig config) {
        SweepConfig.ProviderSpec spec = config.provider();
        ApiKey key = null;
        if (spec.apiKeyEnv() != null) {
            String value = System.getenv(spec.apiKeyEnv());
            if (value == null || value.isBlank()) {
                throw new ConfigurationException("provider.api_key_env names " + spec.apiKeyEnv()
                        + " but that environment variable is not set");
            }
            key = ApiKey.of(value);
        }
        return FactoryResolver.provider(spec.id())
                .create(new ProviderConfig(spec.baseUrl(), key, Duration.ofSeconds(5), spec.settings()));
    }

    private static GpuSidecar sidecar(SweepConfig config) {
        SweepConfig.SidecarSpec spec = config.sidecar();
        if (spec == null) {
            return null;
        }
        Map<String, String> settings = new HashMap<>();
        if (spec.gpuIndex() != null) {
            settings.put("gpu_index", spec.gpuIndex().toString());
        }
        return FactoryResolver.sidecar(spec.id())
                .create(new SidecarConfig(spec.command(), spec.interval(), Duration.ofSeconds(5), settings));
    }

    static void printPlan(PrintWriter out, SweepConfig config, SweepPlan plan) {
        out.println("dry run: nothing is touched");
        out.println("lane " + config.executionLane().jsonName() + ", profile " + config.vramProfile().jsonName()
                + ", provider " + config.provider().id() + " at " + config.provider().baseUrl()
                + ", stream " + config.stream() + ", context " + (config.contextSize() == null ? "server default"
                        : config.contextSize().toString()));
        out.println("controls: seed " + config.controls().seed() + ", threads "
                + (config.controls().threads() == null ? "server default" : config.controls().threads())
                + ", affinity " + config.controls().affinityPolicy() + ", temperature "
                + config.controls().temperature());
        out.println("canary: " + config.canary().runs() + " run(s) on " + plan.cells().get(0).model() + "/"
                + plan.cells().get(0).quant() + ", latency CV <= " + config.canary().latencyVarianceThreshold()
                + ", adherence >= " + config.canary().adherenceThreshold() + ", latency ceiling "
                + (config.canary().latencyCeilingMs() == null ? "none" : config.canary().latencyCeilingMs() + " ms"));
        out.println("sidecar: " + (config.sidecar() == null ? "none" : config.sidecar().id() + " "
                + config.sidecar().command() + " every " + config.sidecar().interval().toMillis() + " ms"));
        out.println("thermal gate: " + (config.thermalGate().enabled() ? "target " + config.thermalGate().targetC()
                + " C, wait <= " + config.thermalGate().maxWait().toMillis() + " ms" : "off")
                + "; VRAM pre-flight: " + config.preflight().mode().jsonName());
        out.println("cells (baseline first per model):");
        for (SweepCell cell : plan.cells()) {
            long warmups = cell.runs().stream().filter(r -> r.phase() == dev.orket.core.sweep.RunPhase.WARMUP).count();
            out.println("  " + cell.model() + "/" + cell.quant() + " -> server model " + cell.serverModel()
                    + (cell.baseline() ? " (baseline)" : "") + ": " + warmups + " warm-up, "
                    + (cell.runs().size() - warmups) + " measured");
        }
        out.println("sessions: " + config.sessions().stream().map(s -> s.id() + " (" + s.scorer() + ")").toList());
        out.println("total: " + plan.canaryRuns().size() + " canary + " + plan.allRuns().stream()
                .filter(r -> r.phase() == dev.orket.core.sweep.RunPhase.WARMUP).count() + " warm-up + "
                + plan.measuredRunCount() + " measured run(s)");
    }


}
