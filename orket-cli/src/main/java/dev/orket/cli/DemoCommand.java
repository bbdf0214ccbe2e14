package dev.orket.cli;

import dev.orket.api.ConfigurationException;
import dev.orket.api.ExecutionLane;
import dev.orket.api.VramProfile;
import dev.orket.api.spi.FactoryResolver;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.core.recommend.Recommendation;
import dev.orket.core.report.SweepReport;
import dev.orket.core.sweep.LedgerEntry;
import dev.orket.core.sweep.OutputDirectory;
import dev.orket.core.sweep.OutputLock;
import dev.orket.core.sweep.RunLedger;
import dev.orket.core.sweep.RunPhase;
import dev.orket.core.sweep.SweepConfig;
import dev.orket.core.sweep.SweepConfigReader;
import dev.orket.core.sweep.Shard;
import dev.orket.core.sweep.SweepEngine;
import dev.orket.core.sweep.SweepOutcome;
import dev.orket.core.vram.ModelFacts;
import dev.orket.core.vram.ModelFactsJson;
import dev.orket.core.vram.VramAnalyzer;
import dev.orket.simulator.VirtualClock;
import dev.orket.simulator.server.QuantProfile;
import dev.orket.simulator.server.ScriptedInferenceServer;
import dev.orket.simulator.server.SimulatedQuantFamily;
import dev.orket.simulator.sidecar.ScriptedSidecar;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import dev.orket.exporter.otel.OtelRunExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code orket demo}: a complete quant sweep of the simulated quant family over real loopback HTTP.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a complete quant sweep of a simulated model in seven quantizations against the"
                + " simulator's embedded scripted server over real loopback HTTP (llama.cpp dialect, virtual clock,"
                + " scripted GPU sidecar), then write the ledger, summary.json and report.html into a fresh"
                + " output directory and print its path. The simulated model is documented in"
                + " docs/simulated-quant-family.md; the demo checks that the recommendation is the quant its"
                + " parameters imply.")
final class DemoCommand implements Callable<Integer> {

    /** Output tokens per run: the quality the pipeline measures is agreement over these many tokens. */
    static final int OUTPUT_TOKENS = 16;

    /** The simulated card: 24 GiB, so every quant fits the balanced profile's cap. */
    static final long CARD_VRAM_MIB = 24_576;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default orket-out/demo-<time>).")
    Path out;

    @Option(names = "--resume", description = "Continue the demo sweep in --out from its ledger.")
    boolean resume;

    @Option(names = "--repetitions", defaultValue = "5", description = "Measured runs per session per quant"
            + " (default ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--shard", paramLabel = "I/N", description = "Run shard I of N of the demo sweep (see orket sweep"
            + " --shard); merge the shards with orket report DIR... --out DIR, whose recommendation is then checked.")
    String shard;

    @Mixin
    OtlpOption otlp = new OtlpOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // Jittered (±2 % per run, keyed on the run id): intervals have width, the canary's CV is real, and a resumed
        // demo measures exactly what an uninterrupted one does.
        SimulatedQuantFamily family = SimulatedQuantFamily.demo();
        Shard part = shard == null ? Shard.WHOLE : Shard.parse(shard);
        Path dir = outputDir();
        Path configFile = dir.resolve("demo-config.json");
        VirtualClock clock = new VirtualClock();
        // The export's settings (--otlp-endpoint, OTEL_*) are checked before the directory is made, as sweep does;
        // building the exporter sends nothing.
        OtelRunExporter exporter = otlp.open();
        try (exporter;
                OutputLock lock = OutputLock.acquire(dir);
                ScriptedInferenceServer server = ScriptedInferenceServer.start(clock)) {
            SweepCommand.noteStaleLock(spec.commandLine().getErr(), lock);
            server.setDispatcher(family);
            String text = resume ? read(configFile) : config(family);
            if (!resume) {
                OutputDirectory.claim(dir);
                write(configFile, text);
                write(dir.resolve(VramAnalyzer.MODEL_FACTS_FILE), ModelFactsJson.toJson(modelFacts(family),
                        ExecutionLane.CI, VramProfile.BALANCED));
            }
            SweepConfig written = SweepConfigReader.parse(text, configFile.toString());
            // The embedded server listens on a new port each time; the config's digest stays that of its text.
            SweepConfig config = written.withBaseUrl(server.baseUri());
            Map<String, ScriptedSidecar> sidecars = new HashMap<>();
            try (InferenceProvider provider = FactoryResolver.provider("llamacpp")
                    .create(ProviderConfig.of(server.baseUri()))) {
                SweepEngine.Builder builder = SweepEngine.builder()
                        .config(config)
                        .provider(provider)
                        .sidecarPerCell("scripted", cell -> sidecars.computeIfAbsent(cell.quant(),
                                quant -> ScriptedSidecar.fragmenting(family.quantByTag(quant), CARD_VRAM_MIB,
                                        runsDone(dir, quant))))
                        .recordingListener(server.lockstep())
                        .clock(clock)
                        .sleeper(duration -> clock.advanceBy(duration))
                        .outputDir(dir)
                        .outputLock(lock)
                        .listener(new ProgressLine(spec.commandLine().getErr()))
                        .shard(part);
                if (exporter != null) {
                    builder.listener(exporter.sweepListener());
                }
                SweepOutcome outcome = SweepRunner.run(builder.build(), spec.commandLine().getErr(),
                        exporter == null ? () -> { } : exporter::close);
                return SweepCommand.finish(spec.commandLine().getOut(), spec.commandLine().getErr(), outcome, false,
                        lock, report -> part.split() ? shardDone(part, dir) : checkExpected(family, report, dir));
            }
        }
    }

    private int shardDone(Shard part, Path dir) {
        spec.commandLine().getOut().println("shard " + part + " of the demo written; merge the shards with orket report"
                + " DIR... --out DIR to check the recommendation");
        spec.commandLine().getOut().println("output directory: " + dir.toAbsolutePath());
        return ExitCodes.OK;
    }

    private int checkExpected(SimulatedQuantFamily family, SweepReport.Written report, Path dir) {
        PrintWriter stdout = spec.commandLine().getOut();
        QuantProfile expected = family.expectedWinner(0.95, OUTPUT_TOKENS);
        if (report.summary().recommendations().isEmpty()) {
            stdout.println("the demo produced no recommendation; expected " + expected.tag());
            return ExitCodes.CHECK_FAILED;
        }
        Recommendation recommendation = report.summary().recommendations().get(0);
        String got = recommendation.winner() == null ? "none" : recommendation.winner().quantTag();
        boolean matches = expected.tag().equals(got);
        stdout.println("documented parameters imply " + expected.tag() + " (highest speed among quants whose quality"
                + " over " + OUTPUT_TOKENS + " tokens is within 0.95 of F16's); the sweep recommends " + got + ": "
                + (matches ? "match" : "MISMATCH"));
        stdout.println("output directory: " + dir.toAbsolutePath());
        return matches ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    /**
     * The simulated family's model facts, so that {@code orket analyze vram} can explain the demo's VRAM:
     * weights per quant, and the documented KV shape.
     */
    static List<ModelFacts> modelFacts(SimulatedQuantFamily family) {
        List<ModelFacts> facts = new ArrayList<>();
        for (QuantProfile quant : family.quants()) {
            facts.add(new ModelFacts(family.name(), quant.tag(), quant.weightsMib(),
                    (long) SimulatedQuantFamily.LAYERS, (long) SimulatedQuantFamily.KV_HEADS,
                    (long) SimulatedQuantFamily.HEAD_DIM, (long) SimulatedQuantFamily.HEAD_DIM, 2.0,
                    SimulatedQuantFamily.CONTEXT_SIZE, "simulated_quant_family"));
        }
        return facts;
    }

    /**
     * Runs of a quant already in the demo's ledgers: where a resumed demo's fragmenting sidecar
     * continues its session count, so that a resumed demo measures what an uninterrupted one does.
     */
    private static int runsDone(Path dir, String quant) {
        int done = 0;
        for (RunPhase phase : RunPhase.values()) {
            Path ledger = dir.resolve(phase.ledgerFile());
            if (Files.isRegularFile(ledger)) {
                for (LedgerEntry entry : RunLedger.readAll(ledger)) {
                    if (quant.equals(entry.telemetry().identity().quantTag())) {
                        done++;
                    }
                }
            }
        }
        return done;
    }

    private Path outputDir() {
        if (resume) {
            if (out == null || !Files.isRegularFile(out.resolve("demo-config.json"))) {
                throw new ConfigurationException("--resume needs --out naming an existing demo directory"
                        + " (one holding demo-config.json)");
            }
            return out;
        }
        Path dir = out != null ? out : Path.of("orket-out",
                "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
        OutputDirectory.requireNew(dir);
        return dir;
    }

    private String config(SimulatedQuantFamily family) {
        String quants = family.quants().stream().map(q -> "\"" + q.tag() + "\"").collect(Collectors.joining(", "));
        String estimates = family.quants().stream().map(q -> "\"" + q.tag() + "\": " + q.vramMib())
                .collect(Collectors.joining(", "));
        return "{\n"
                + "  \"sweep_id\": \"demo\",\n"
                + "  \"provider\": {\"id\": \"llamacpp\", \"base_url\": \"http://127.0.0.1:8080\"},\n"
                + "  \"models\": [{\"name\": \"" + family.name() + "\", \"quants\": [" + quants + "],"
                + " \"server_model_template\": \"{model}:{quant}\"}],\n"
                + "  \"sessions\": [\n"
                + "    {\"id\": \"fox\", \"prompt\": \"The quick brown fox\", \"max_output_tokens\": " + OUTPUT_TOKENS
                + ","
                + " \"scorer\": \"baseline_agreement\"},\n"
                + "    {\"id\": \"kv\", \"prompt\": \"Explain what a KV cache stores and why\", \"max_output_tokens\": "
                + OUTPUT_TOKENS + ","
                + " \"scorer\": \"baseline_agreement\"}\n"
                + "  ],\n"
                + "  \"repetitions\": " + repetitions + ",\n"
                + "  \"warmup_runs\": 1,\n"
                + "  \"controls\": {\"seed\": 42, \"threads\": 8, \"affinity_policy\": \"compact\", \"temperature\": 0.0},\n"
                + "  \"execution_lane\": \"ci\",\n"
                + "  \"vram_profile\": \"balanced\",\n"
                + "  \"stream\": true,\n"
                + "  \"timeout_ms\": 30000,\n"
                + "  \"canary\": {\"runs\": 3, \"latency_variance_threshold\": 0.03, \"adherence_threshold\": 0.95},\n"
                + "  \"thermal_gate\": {\"enabled\": true, \"target_c\": 85, \"max_wait_ms\": 60000, \"poll_ms\": 1000},\n"
                + "  \"vram_preflight\": {\"mode\": \"strict\", \"card_vram_mib\": " + CARD_VRAM_MIB
                + ", \"estimates_mib\": {" + estimates + "}}\n"
                + "}\n";
    }


    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
