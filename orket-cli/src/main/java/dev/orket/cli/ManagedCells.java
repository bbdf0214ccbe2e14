package dev.orket.cli;

import dev.orket.api.ApiKey;
import dev.orket.api.ConfigurationException;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.core.sweep.CellProvider;
import dev.orket.core.sweep.SweepCell;
import dev.orket.core.sweep.SweepConfig;
import dev.orket.provider.llamacpp.ManagedLlamaServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Starts a managed llama-server per cell from the cell's GGUF file and stops it when the cell ends, keeping
 * the server's output tail in {@code server-logs/} beside the ledger.
 */
final class ManagedCells implements CellProvider.Opener {

    private final SweepConfig config;
    private final Path configDirectory;
    private final Path outputDir;
    private final @Nullable ApiKey apiKey;

    /**
     * Cells whose servers get {@code apiKey} (from {@code provider.api_key_env}) in a private
     * {@code --api-key-file}, never on their command line, and whose providers send it.
     */
    ManagedCells(SweepConfig config, Path configDirectory, Path outputDir, @Nullable ApiKey apiKey) {
        check(config);
        this.config = config;
        this.configDirectory = configDirectory;
        this.outputDir = outputDir;
        this.apiKey = apiKey;
    }

    /** Checks what a managed sweep needs beyond the config's own rules. */
    static void check(SweepConfig config) {
        if (!"llamacpp".equals(config.provider().id())) {
            throw new ConfigurationException("managed_server starts llama-server, so provider.id must be llamacpp but"
                    + " was '" + config.provider().id() + "'");
        }
    }

    /**
     * Prints what would block cells without failing the dry run: a real run records such cells as blocked
     * and goes on.
     */
    static void printWarnings(PrintWriter out, SweepConfig config, Path configDirectory) {
        SweepConfig.ManagedServer managed = config.managedServer();
        if (managed == null) {
            return;
        }
        if (!Files.isExecutable(managed.executable())) {
            out.println("warning: managed_server.executable " + managed.executable() + " is not an executable file;"
                    + " every cell would be blocked");
        }
        for (SweepConfig.ModelSpec model : config.models()) {
            for (var file : model.ggufFiles().entrySet()) {
                Path gguf = configDirectory.resolve(file.getValue());
                if (!Files.isRegularFile(gguf)) {
                    out.println("warning: " + model.name() + "/" + file.getKey() + ": GGUF file " + gguf
                            + " does not exist; its cell would be blocked");
                }
            }
        }
    }

    /**
     * The config with a VRAM estimate for every quant whose GGUF header can be read and that has none yet:
     * weights + KV cache at the context size the server will get + the documented margin (docs/inventory.md).
     * A file that cannot be read keeps no estimate; the pre-flight then notes that the cell runs unchecked.
     */
    static SweepConfig withGgufEstimates(SweepConfig config, Path configDirectory) {
        SweepConfig.ManagedServer managed = config.managedServer();
        if (managed == null || config.preflight().mode() == dev.orket.core.sweep.PreflightMode.OFF) {
            return config;
        }
        java.util.Map<String, Long> estimates = new java.util.HashMap<>(config.preflight().estimatesMib());
        for (SweepConfig.ModelSpec model : config.models()) {
            for (var file : model.ggufFiles().entrySet()) {
                if (estimates.containsKey(file.getKey())) {
                    continue;
                }
                try {
                    var header = dev.orket.core.inventory.GgufReader.read(configDirectory.resolve(file.getValue()));
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
                config.preflight().cardVramMib(), estimates));
    }

    @Override
    public CellProvider open(SweepCell cell) {
        SweepConfig.ManagedServer managed = config.managedServer();
        SweepConfig.ModelSpec model = config.models().stream().filter(m -> m.name().equals(cell.model())).findFirst()
                .orElseThrow();
        Path gguf = configDirectory.resolve(model.ggufFiles().get(cell.quant()));
        Integer threads = managed.threads() != null ? managed.threads() : config.controls().threads();
        ManagedLlamaServer server = ManagedLlamaServer.start(ManagedLlamaServer.options(managed.executable(), gguf)
                .contextSize(managed.contextSize() != null ? managed.contextSize() : config.contextSize())
                .threads(threads)
                .gpuLayers(managed.gpuLayers())
                .seed(config.controls().seed())
                .parallel(1)
                .apiKey(apiKey)
                .extraArgs(managed.args())
                .startupDeadline(managed.startupTimeout()));
        InferenceProvider provider = server.provider();
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

    private void keepLog(SweepCell cell, String tail) {
        Path log = outputDir.resolve("server-logs").resolve(cell.model().replaceAll("[^A-Za-z0-9_.-]", "_") + "_"
                + cell.quant() + ".log");
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, tail, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // The log is evidence, not a result: losing it never fails the sweep.
        }
    }
}
