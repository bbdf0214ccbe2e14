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
import dev.orket.core.sweep.OutputDirectory;
import dev.orket.core.sweep.OutputLock;
import dev.orket.core.sweep.SweepConfig;
import dev.orket.core.sweep.SweepConfigReader;
import dev.orket.core.sweep.SweepEngine;
import dev.orket.core.sweep.SweepOutcome;
import dev.orket.core.sweep.SweepPlan;
import dev.orket.core.sweep.Shard;
import dev.orket.core.sweep.SweepEventJson;
import dev.orket.provider.llamacpp.ManagedServerCells;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import dev.orket.exporter.otel.OtelRunExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
                + " Exit 0 when it completed with a valid run, 1 when the canary gate stopped it or no run is valid,"
                + " 130 when interrupted (SIGINT/SIGTERM; resume with --resume).")
final class SweepCommand implements Callable<Integer> {

    @Parameters(paramLabel = "CONFIG", description = "The sweep config (docs/specs/sweep-config.schema.json).")
    Path configFile;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory (default orket-out/<sweep_id or config name>-<time>).")
    Path out;

    @Option(names = "--resume", description = "Continue the sweep in --out from its ledger.")
    boolean resume;

    @Option(names = "--dry-run", description = "Print the resolved matrix, controls, canary and sidecar settings;"
            + " touch nothing. It checks everything the real run checks.")
    boolean dryRun;

    @Option(names = "--include-invalid", description = "Show rows of invalid runs, marked, in frontier views"
            + " (never in KPIs); recorded in summary.json.")
    boolean includeInvalid;

    @Option(names = "--json", description = "Print the sweep's events on standard output, one JSON object per line"
            + " (field 'event': sweep_started, cell_started, run_finished, cell_blocked, canary_verdict, thermal_wait,"
            + " torn_line_recovered, warning, sweep_finished); everything else goes to standard error.")
    boolean json;

    @Option(names = "--shard", paramLabel = "I/N", description = "Run shard I of N: every Nth cell from the I-th"
            + " (plus the baselines its cells are scored against); merge the shards with orket report DIR... --out DIR.")
    String shard;

    @Mixin
    OtlpOption otlp = new OtlpOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String text = SweepConfigReader.readText(configFile);
        Path configDirectory = configFile.toAbsolutePath().getParent();
        SweepConfig config = ManagedServerCells.withGgufEstimates(SweepConfigReader.parse(text, configFile.toString(),
                configDirectory), configDirectory);
        // Everything the real run checks is checked here, before a dry run returns or a directory is made.
        SessionScoring scoring = SessionScoring.forSessions(config.sessions());
        ApiKey key = apiKey(config);
        if (config.managedServer() != null) {
            ManagedServerCells.check(config);
        }
        // Created to validate their settings and closed at once; neither does I/O before a run.
        provider(config, key).close();
        GpuSidecar checkedSidecar = sidecar(config);
        if (checkedSidecar != null) {
            checkedSidecar.close();
        }
        Shard part = shard == null ? Shard.WHOLE : Shard.parse(shard);
        SweepPlan plan = SweepPlan.resolve(config, QuantOrder.HIGHER_PRECISION_FIRST, part);
        Path dir = outputDir(config);
        // The export's settings (--otlp-endpoint, OTEL_*) too; building the exporter sends nothing.
        OtelRunExporter exporter = otlp.open();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter human = json ? spec.commandLine().getErr() : stdout;
        if (dryRun) {
            if (exporter != null) {
                exporter.close();
            }
            printPlan(human, config, plan);
            printManagedWarnings(human, config, configDirectory);
            return ExitCodes.OK;
        }
        try (exporter;
                OutputLock lock = OutputLock.acquire(dir);
                InferenceProvider provider = config.managedServer() == null ? provider(config, key) : null;
                GpuSidecar sidecar = sidecar(config)) {
            noteStaleLock(spec.commandLine().getErr(), lock);
            SweepEngine.Builder engine = SweepEngine.builder();
            if (provider != null) {
                engine.provider(provider);
            } else {
                engine.providerPerCell("llamacpp", new ManagedServerCells(config, configDirectory, dir, key));
            }
            engine.config(config)
                    .sidecar(sidecar)
                    .outputDir(dir)
                    .outputLock(lock)
                    .scorer(scoring)
                    .shard(part)
                    .listener(new ProgressLine(spec.commandLine().getErr()));
            if (json) {
                engine.listener(event -> {
                    stdout.println(SweepEventJson.toJson(event));
                    stdout.flush();
                });
            }
            if (exporter != null) {
                engine.listener(exporter.sweepListener());
            }
            SweepOutcome outcome = SweepRunner.run(engine.build(), spec.commandLine().getErr(),
                    exporter == null ? () -> { } : exporter::close);
            return finish(human, spec.commandLine().getErr(), outcome, includeInvalid, lock);
        }
    }

    /**
     * Prints what would block managed cells, without failing the dry run: a real run records such cells as
     * blocked and goes on.
     */
    private static void printManagedWarnings(PrintWriter out, SweepConfig config, Path configDirectory) {
        SweepConfig.ManagedServer managed = config.managedServer();
        if (managed == null) {
            return;
        }
        if (!java.nio.file.Files.isExecutable(managed.executable())) {
            out.println("warning: managed_server.executable " + managed.executable() + " is not an executable file;"
                    + " every cell would be blocked");
        }
        for (SweepConfig.ModelSpec model : config.models()) {
            for (var file : model.ggufFiles().entrySet()) {
                Path gguf = configDirectory.resolve(file.getValue());
                if (!java.nio.file.Files.isRegularFile(gguf)) {
                    out.println("warning: " + model.name() + "/" + file.getKey() + ": GGUF file " + gguf
                            + " does not exist; its cell would be blocked");
                }
            }
        }
    }

    /** Says so when this process took over the lock of one that was killed while holding it. */
    static void noteStaleLock(PrintWriter err, OutputLock lock) {
        if (lock.staleHolderPid() != null) {
            err.println("orket: took over the lock of " + lock.directory() + " left by process "
                    + lock.staleHolderPid() + ", which ended without releasing it");
        }
    }

    /**
     * Writes and prints the summary and report of a finished sweep and returns the exit code: 0 with a valid run,
     * 1 when the canary gate stopped the sweep or no run is valid (one line says why), 130 when it was interrupted.
     */
    static int finish(PrintWriter stdout, PrintWriter stderr, SweepOutcome outcome, boolean includeInvalid,
            OutputLock lock) {
        return finish(stdout, stderr, outcome, includeInvalid, lock, report -> SweepRunner.judge(stdout, outcome, report));
    }

    /** As {@link #finish(PrintWriter, PrintWriter, SweepOutcome, boolean, OutputLock)}, with the caller's verdict. */
    static int finish(PrintWriter stdout, PrintWriter stderr, SweepOutcome outcome, boolean includeInvalid,
            OutputLock lock, java.util.function.ToIntFunction<SweepReport.Written> verdict) {
        if (outcome.status() == SweepOutcome.Status.INTERRUPTED) {
            stderr.println(SweepRunner.interruptedMessage());
            return ExitCodes.INTERRUPTED;
        }
        if (outcome.status() == SweepOutcome.Status.ABORTED_BY_CANARY) {
            stdout.println("sweep " + outcome.sweepId() + " stopped by the canary gate: " + outcome.canary().reasons());
            stdout.println("canary verdict: " + outcome.outputDir().resolve("canary_verdict.json"));
            return ExitCodes.CHECK_FAILED;
        }
        SweepReport.Written report = SweepReport.write(lock, outcome.sweepId(),
                new ViewOptions(includeInvalid, false, dev.orket.core.frontier.FrontierCriteria.DEFAULT),
                RunPolicy.DEFAULT);
        SweepOutput.printLedgerWarnings(stderr, report);
        SweepOutput.print(stdout, outcome, report);
        return verdict.applyAsInt(report);
    }

    private Path outputDir(SweepConfig config) {
        if (resume) {
            if (out == null) {
                throw new ConfigurationException("--resume needs --out naming the existing sweep directory");
            }
            OutputDirectory.requireResumable(out);
            return out;
        }
        Path dir = out;
        if (dir == null) {
            String name = config.sweepId() != null ? config.sweepId()
                    : configFile.getFileName().toString().replaceFirst("\\.json$", "");
            dir = Path.of("orket-out", name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern(
                    "yyyyMMdd-HHmmss")));
        }
        OutputDirectory.requireNew(dir);
        return dir;
    }

    private static @org.jspecify.annotations.Nullable ApiKey apiKey(SweepConfig config) {
        return apiKey(config.provider().apiKeyEnv(), "provider.api_key_env");
    }

    /**
     * The API key in the environment variable {@code variable}, or null when no variable is named.
     *
     * @param source what named the variable (a config key or an option), for the message
     * @throws ConfigurationException when the variable is not set or blank: a key asked for is never dropped
     */
    static @org.jspecify.annotations.Nullable ApiKey apiKey(@org.jspecify.annotations.Nullable String variable,
            String source) {
        if (variable == null) {
            return null;
        }
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(source + " names " + variable
                    + " but that environment variable is not set; set it to the server's API key");
        }
        return ApiKey.of(value);
    }

    private static InferenceProvider provider(SweepConfig config, @org.jspecify.annotations.Nullable ApiKey key) {
        SweepConfig.ProviderSpec spec = config.provider();
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
        if (config.contextSweep() != null) {
            var sweep = config.contextSweep();
            out.println("context sweep: " + (sweep.profile() == null ? "inline" : "profile " + sweep.profile()
                    + " of " + (sweep.profilesFile() == null ? "the shipped profiles" : sweep.profilesFile()))
                    + ", contexts " + sweep.contexts() + ", prompt fill " + sweep.promptFill() + "; passes with median"
                    + " adherence >= " + sweep.thresholds().adherenceMin() + ", median TTFT <= "
                    + sweep.thresholds().ttftCeilingMs() + " ms, median decode >= "
                    + sweep.thresholds().decodeFloorTps() + " tok/s");
        }
        out.println("canary: " + config.canary().runs() + " run(s) on " + plan.cells().get(0).key() + ", latency CV <= " + config.canary().latencyVarianceThreshold()
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
            out.println("  " + cell.key() + " -> server model " + cell.serverModel()
                    + (cell.baseline() ? " (baseline)" : "") + ": " + warmups + " warm-up, "
                    + (cell.runs().size() - warmups) + " measured");
        }
        out.println("sessions: " + config.sessions().stream().map(s -> s.id() + " (" + s.scorer() + ")").toList());
        out.println("total: " + plan.canaryRuns().size() + " canary + " + plan.allRuns().stream()
                .filter(r -> r.phase() == dev.orket.core.sweep.RunPhase.WARMUP).count() + " warm-up + "
                + plan.measuredRunCount() + " measured run(s)");
    }


}
