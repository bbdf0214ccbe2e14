package dev.orket.provider.llamacpp;

import dev.orket.api.ApiKey;
import dev.orket.api.ConfigurationException;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.core.host.CpuAffinity;
import dev.orket.core.host.MeasuredServer;
import dev.orket.core.host.ProcFs;
import dev.orket.core.host.ServerProcessRule;
import dev.orket.core.sweep.CellProvider;
import dev.orket.core.sweep.SweepCell;
import dev.orket.core.sweep.SweepConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The cells of a sweep with {@code managed_server}: starts a llama-server per cell from the cell's GGUF file
 * ({@code models[].gguf_files}), with {@code -c <the cell's context>} in a context sweep, and stops it when the cell
 * ends, keeping the server's output tail in
 * {@code server-logs/} beside the ledger. A server that died is reported to the sweep ({@link CellProvider#alive()}),
 * which starts it again up to {@code managed_server.max_restarts}.
 *
 * <pre>{@code
 * SweepEngine engine = SweepEngine.builder()
 *         .config(config, digest)
 *         .providerPerCell("llamacpp", new ManagedServerCells(config, configDirectory, outputDir))
 *         ...
 * }</pre>
 *
 * @since 0.1
 */
public final class ManagedServerCells implements CellProvider.Opener {

    private final SweepConfig config;
    private final Path configDirectory;
    private final Path outputDir;
    private final @Nullable ApiKey apiKey;

    /**
     * Cells of a sweep config whose servers need no API key.
     *
     * @param config the sweep config, with {@code managed_server} and {@code provider.id} {@code llamacpp}
     * @param configDirectory the directory relative GGUF paths are resolved against (the config file's)
     * @param outputDir the sweep's output directory, for {@code server-logs/}
     * @throws ConfigurationException when the config has no managed server or another provider
     */
    public ManagedServerCells(SweepConfig config, Path configDirectory, Path outputDir) {
        this(config, configDirectory, outputDir, null);
    }

    /**
     * Cells of a sweep config whose servers get {@code apiKey} (the value of {@code provider.api_key_env}) in a
     * private {@code --api-key-file}, never on their command line, and whose providers send it.
     *
     * @param config the sweep config, with {@code managed_server} and {@code provider.id} {@code llamacpp}
     * @param configDirectory the directory relative GGUF paths are resolved against (the config file's)
     * @param outputDir the sweep's output directory, for {@code server-logs/}
     * @param apiKey the key every server requires and every request sends, or null for none
     * @throws ConfigurationException when the config has no managed server or another provider
     */
    public ManagedServerCells(SweepConfig config, Path configDirectory, Path outputDir, @Nullable ApiKey apiKey) {
        check(config);
        this.config = config;
        this.configDirectory = configDirectory;
        this.outputDir = outputDir;
        this.apiKey = apiKey;
    }

    /**
     * Checks what managed cells need beyond the config's own rules, without starting anything (a dry run
     * calls it).
     *
     * @throws ConfigurationException when the config has no managed server or another provider
     */
    public static void check(SweepConfig config) {
        if (config.managedServer() == null) {
            throw new ConfigurationException("managed cells need a managed_server section in the sweep config");
        }
        if (!"llamacpp".equals(config.provider().id())) {
            throw new ConfigurationException("managed_server starts llama-server, so provider.id must be llamacpp but"
                    + " was '" + config.provider().id() + "'");
        }
    }

    /**
     * The config with a VRAM estimate for every quant whose GGUF header can be read and that has none yet:
     * weights + KV cache at the context size the server will get + the documented margin (docs/inventory.md).
     * A file that cannot be read keeps no estimate; the pre-flight then notes that the cell runs unchecked.
     */
    public static SweepConfig withGgufEstimates(SweepConfig config, Path configDirectory) {
        SweepConfig.ManagedServer managed = config.managedServer();
        if (managed == null || config.preflight().mode() == dev.orket.core.sweep.PreflightMode.OFF) {
            return config;
        }
        java.util.Map<String, Long> estimates = new java.util.HashMap<>(config.preflight().estimatesMib());
        java.util.Map<String, Long> cellEstimates = new java.util.HashMap<>(config.preflight().cellEstimatesMib());
        for (SweepConfig.ModelSpec model : config.models()) {
            for (var file : model.ggufFiles().entrySet()) {
                if (estimates.containsKey(file.getKey())) {
                    continue;
                }
                try {
                    var header = dev.orket.core.inventory.GgufReader.read(configDirectory.resolve(file.getValue()));
                    if (config.contextSweep() != null) {
                        // The KV cache grows with the context: each cell's server gets -c <its context>.
                        for (int context : config.contextSweep().contexts()) {
                            cellEstimates.put(SweepCell.key(model.name(), file.getKey(), context),
                                    dev.orket.core.inventory.VramEstimator.estimate(header, context).totalMib());
                        }
                        continue;
                    }
                    Integer context = managed.contextSize() != null ? managed.contextSize() : config.contextSize();
                    long tokens = context != null ? context
                            : header.contextLength() != null ? header.contextLength() : 4096L;
                    estimates.put(file.getKey(), dev.orket.core.inventory.VramEstimator.estimate(header, tokens)
                            .totalMib());
                } catch (RuntimeException e) {
                    // Unreadable header: no estimate, and the pre-flight says so instead of guessing.
                }
            }
        }
        return config.withPreflight(new SweepConfig.Preflight(config.preflight().mode(),
                config.preflight().cardVramMib(), estimates, cellEstimates));
    }

    @Override
    public CellProvider open(SweepCell cell) {
        SweepConfig.ManagedServer managed = config.managedServer();
        SweepConfig.ModelSpec model = config.models().stream().filter(m -> m.name().equals(cell.model())).findFirst()
                .orElseThrow();
        String file = model.ggufFiles().get(cell.quant());
        if (file == null) {
            throw new ConfigurationException("models[" + model.name() + "].gguf_files has no file for quant "
                    + cell.quant() + "; add \"" + cell.quant() + "\": \"<path>.gguf\"");
        }
        Path gguf = configDirectory.resolve(file);
        if (!Files.isRegularFile(gguf)) {
            throw new ConfigurationException("GGUF file " + gguf + " for " + cell.model() + "/" + cell.quant()
                    + " does not exist or is not a file");
        }
        Integer threads = managed.threads() != null ? managed.threads() : config.controls().threads();
        String cpus = CpuAffinity.cpuList(config.controls().affinityPolicy(), threads, cores());
        // A context sweep's cell runs its server at the cell's context; otherwise the configured one (or the default).
        Integer context = cell.context() != null ? cell.context()
                : managed.contextSize() != null ? managed.contextSize() : config.contextSize();
        ManagedLlamaServer server = ManagedLlamaServer.start(ManagedLlamaServer.options(managed.executable(), gguf)
                .contextSize(context)
                .threads(threads)
                .gpuLayers(managed.gpuLayers())
                .seed(config.controls().seed())
                .parallel(1)
                .cpuAffinity(cpus)
                .apiKey(apiKey)
                .extraArgs(managed.args())
                .startupDeadline(managed.startupTimeout()));
        InferenceProvider provider;
        MeasuredServer measured;
        try {
            provider = server.provider();
            measured = new MeasuredServer(ServerProcessRule.ofPids(Set.of(server.pid())),
                    server.startControls(config.controls().threads(), cell.context() != null ? cell.context()
                            : config.contextSize(), config.controls().affinityPolicy()));
        } catch (RuntimeException | Error e) {
            // Nobody holds the server yet: stop it now rather than leave it holding its port and memory until exit.
            server.close();
            throw e;
        }
        return new CellProvider() {
            @Override
            public InferenceProvider provider() {
                return provider;
            }

            @Override
            public Set<Long> serverProcessIds() {
                return Set.of(server.pid());
            }

            @Override
            public MeasuredServer measuredServer() {
                return measured;
            }

            @Override
            public boolean alive() {
                return server.isAlive();
            }

            @Override
            public String outputTail() {
                return server.stderrTail();
            }

            @Override
            public void close() {
                try {
                    provider.close();
                } finally {
                    server.close();
                    keepLog(cell, server.stderrTail());
                }
            }
        };
    }

    private static int cores() {
        ProcFs.CpuTimes times = ProcFs.system().cpuTimes();
        return times != null ? times.cores() : Runtime.getRuntime().availableProcessors();
    }

    private void keepLog(SweepCell cell, String tail) {
        Path log = outputDir.resolve("server-logs").resolve(cell.model().replaceAll("[^A-Za-z0-9_.-]", "_") + "_"
                + cell.quant() + (cell.context() == null ? "" : "_c" + cell.context()) + ".log");
        try {
            Files.createDirectories(log.getParent());
            // Appended: a cell whose server was restarted keeps the output of every start.
            Files.writeString(log, tail, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // The log is evidence, not a result: losing it never fails the sweep.
        }
    }
}
