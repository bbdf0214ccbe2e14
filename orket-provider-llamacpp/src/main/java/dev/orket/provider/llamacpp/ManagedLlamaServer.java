package dev.orket.provider.llamacpp;

import dev.orket.api.ApiKey;
import dev.orket.api.ControlApplication;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.core.host.CpuAffinity;
import dev.orket.core.host.ProcFs;
import dev.orket.core.host.ProcessTree;
import dev.orket.core.stream.AdminCallException;
import dev.orket.core.stream.HttpTransport;
import dev.orket.provider.llamacpp.internal.TailBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code llama-server} process started for one measurement cell and stopped on the same code
 * path (lab lane). The server is started from an argument list (no shell) on {@code 127.0.0.1} at
 * a free port, and {@link #start} returns once {@code GET /health} answers 200; a server that
 * exits or misses the deadline is killed and reported as a {@link ServerStartException}. Use it in
 * try-with-resources; a JVM shutdown hook stops it too and is removed on {@link #close()}. The
 * last bytes of its output (stderr and stdout, 64 KiB by default) are kept for the run's artifacts.
 *
 * <pre>{@code
 * var options = ManagedLlamaServer.options(Path.of("llama-server"), Path.of("models/m-Q4_K_M.gguf"))
 *         .contextSize(4096).threads(8).gpuLayers(99).seed(42L);
 * try (ManagedLlamaServer server = ManagedLlamaServer.start(options);
 *         LlamaCppProvider provider = server.provider()) {
 *     RunResult result = executor.execute(provider, request, Set.of(server.pid()));
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class ManagedLlamaServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedLlamaServer.class);
    private static final String HOST = "127.0.0.1";

    private final Options options;
    private final Process process;
    private final int port;
    private final URI baseUrl;
    private final TailBuffer tail;
    private final Thread reader;
    private final Thread shutdownHook;
    private final List<String> command;
    private final @Nullable Path keyFile;
    private @Nullable String affinityProblem;
    private boolean closed;

    private ManagedLlamaServer(Options options, Process process, int port, TailBuffer tail, Thread reader,
            List<String> command, @Nullable Path keyFile) {
        this.options = options;
        this.process = process;
        this.port = port;
        this.baseUrl = URI.create("http://" + HOST + ":" + port);
        this.tail = tail;
        this.reader = reader;
        this.command = List.copyOf(command);
        this.keyFile = keyFile;
        this.shutdownHook = new Thread(this::stopProcess, "orket-llama-server-shutdown-" + port);
    }

    /** Options for a server of the given executable and GGUF file, with llama-server's defaults otherwise. */
    public static Options options(Path executable, Path model) {
        return new Options(executable, model);
    }

    /**
     * Starts the server and waits for {@code GET /health} to answer 200.
     *
     * @throws ServerStartException when the process cannot start, exits, or is not healthy by the
     *     deadline; the process is stopped first
     */
    public static ManagedLlamaServer start(Options options) {
        int port = options.port != null ? options.port : freePort();
        Path keyFile = null;
        List<String> args = new ArrayList<>();
        String pinning = null;
        if (options.cpuAffinity != null) {
            Path taskset = options.taskset != null ? options.taskset : onPath("taskset");
            if (taskset == null || !Files.isExecutable(taskset)) {
                pinning = "taskset was not found (" + (taskset == null ? "not on PATH" : taskset + " is not executable")
                        + "), so the server could not be pinned to CPUs " + options.cpuAffinity + " (install util-linux)";
            } else {
                // taskset execs the server in place: the pid Orket holds is the server's, pinned from its first
                // instruction, its threads included.
                args.add(taskset.toString());
                args.add("-c");
                args.add(options.cpuAffinity);
            }
        }
        args.add(options.executable.toString());
        args.add("-m");
        args.add(options.model.toString());
        args.add("--host");
        args.add(HOST);
        args.add("--port");
        args.add(Integer.toString(port));
        addIfSet(args, "-c", options.contextSize);
        addIfSet(args, "-t", options.threads);
        addIfSet(args, "-ngl", options.gpuLayers);
        addIfSet(args, "--seed", options.seed);
        addIfSet(args, "-np", options.parallel);
        try {
            if (options.apiKey != null) {
                // A key on the command line would show in the process list; a private file does not.
                keyFile = Files.createTempFile("orket-llama-key", ".txt",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try (Writer writer = Files.newBufferedWriter(keyFile, StandardCharsets.UTF_8)) {
                    writer.write(options.apiKey.reveal());
                }
                args.add("--api-key-file");
                args.add(keyFile.toString());
            }
        } catch (IOException | UnsupportedOperationException e) {
            deleteQuietly(keyFile);
            throw new ServerStartException("could not write the API key file for llama-server: " + e, "");
        }
        args.addAll(options.extraArgs);
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.environment().putAll(options.environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            deleteQuietly(keyFile);
            throw new ServerStartException("could not start " + options.executable + ": " + e.getMessage()
                    + ". Check the llama-server path and that it is executable.", "");
        }
        TailBuffer tail = new TailBuffer(options.tailBytes);
        Thread reader = new Thread(() -> pump(process.getInputStream(), tail), "orket-llama-server-output-" + port);
        reader.setDaemon(true);
        reader.start();
        ManagedLlamaServer server = new ManagedLlamaServer(options, process, port, tail, reader, args, keyFile);
        server.affinityProblem = pinning;
        try {
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down (a signal arrived while this cell started): no hook would stop the
            // process at exit, so it is stopped now instead of outliving Orket.
            server.close();
            throw new ServerStartException("the JVM is shutting down, so llama-server for " + options.model
                    + " was stopped as soon as it started", server.stderrTail());
        }
        LOG.debug("started llama-server pid {} on port {} for {}", process.pid(), port, options.model);
        try {
            server.awaitHealthy();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The server's base URL, {@code http://127.0.0.1:<port>}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The port the server listens on. */
    public int port() {
        return port;
    }

    /** The server process id (to exclude it from foreign GPU processes). */
    public long pid() {
        return process.pid();
    }

    /**
     * What became of the CPU affinity asked for with {@link Options#cpuAffinity}: the CPUs the server may run
     * on, read back from the running process (Linux {@code /proc/PID/status}), or why it is not pinned.
     *
     * @return null when no affinity was asked for
     */
    public @Nullable Affinity affinity() {
        if (options.cpuAffinity == null) {
            return null;
        }
        if (affinityProblem != null) {
            return new Affinity(options.cpuAffinity, null, affinityProblem);
        }
        String allowed = ProcFs.system().cpusAllowedList(process.pid());
        if (allowed == null) {
            return new Affinity(options.cpuAffinity, null, "the server's CPU set could not be read back from"
                    + " /proc/" + process.pid() + "/status");
        }
        boolean same = CpuAffinity.parse(allowed).equals(CpuAffinity.parse(options.cpuAffinity));
        return new Affinity(options.cpuAffinity, allowed, same ? null : "the server runs on CPUs " + allowed
                + ", not the " + options.cpuAffinity + " asked for");
    }

    /**
     * The CPU affinity of a managed server.
     *
     * @param requested the CPU list asked for ({@code taskset -c} syntax)
     * @param allowed the CPUs the running server may use, or null when unknown
     * @param problem why the server is not pinned as asked, or null when it is
     */
    public record Affinity(String requested, @Nullable String allowed, @Nullable String problem) {}

    /**
     * The experimental controls this server holds from its start, compared with what runs ask for: {@code -t}
     * against the requested threads, {@code -c} against the requested context size, and its CPU set against the
     * affinity policy. A control the runs do not ask for is left out (the provider's declaration stands).
     *
     * @param threads the threads runs ask for, or null
     * @param contextSize the context size runs ask for, or null
     * @param affinityPolicy the sweep's {@code affinity_policy} ({@code none} when unpinned)
     */
    public Map<ExperimentalControl, ControlApplication> startControls(@Nullable Integer threads,
            @Nullable Integer contextSize, String affinityPolicy) {
        Map<ExperimentalControl, ControlApplication> controls = new EnumMap<>(ExperimentalControl.class);
        if (threads != null) {
            controls.put(ExperimentalControl.THREADS, threads.equals(options.threads)
                    ? ControlApplication.applied(threads, "managed llama-server started with -t " + threads)
                    : ControlApplication.notApplied(threads, "managed llama-server started with "
                            + (options.threads == null ? "its default threads" : "-t " + options.threads)));
        }
        if (contextSize != null) {
            controls.put(ExperimentalControl.CONTEXT_SIZE, contextSize.equals(options.contextSize)
                    ? ControlApplication.applied(contextSize, "managed llama-server started with -c " + contextSize)
                    : ControlApplication.notApplied(contextSize, "managed llama-server started with "
                            + (options.contextSize == null ? "its default context" : "-c " + options.contextSize)));
        }
        Affinity affinity = affinity();
        if (affinity == null) {
            controls.put(ExperimentalControl.AFFINITY, affinityPolicy.trim().equalsIgnoreCase("none")
                    ? ControlApplication.notApplicable("affinity_policy none")
                    : ControlApplication.notApplied(affinityPolicy, "the managed server was started without a CPU set"));
        } else if (affinity.problem() == null) {
            controls.put(ExperimentalControl.AFFINITY, ControlApplication.applied(affinityPolicy,
                    "pinned with taskset -c " + affinity.requested() + "; the server runs on CPUs " + affinity.allowed()));
        } else {
            controls.put(ExperimentalControl.AFFINITY, ControlApplication.notApplied(affinityPolicy, affinity.problem()));
        }
        return controls;
    }

    /** The CPU threads the server was started with ({@code -t}), or null for llama-server's default. */
    public @Nullable Integer threads() {
        return options.threads;
    }

    /** The context size the server was started with ({@code -c}), or null for llama-server's default. */
    public @Nullable Integer contextSize() {
        return options.contextSize;
    }

    /** The GGUF file served. */
    public Path model() {
        return options.model;
    }

    /** The quant tag in the GGUF file's name, or null when it carries none. */
    public @Nullable String quantTag() {
        Path name = options.model.getFileName();
        return name == null ? null : QuantTags.fromFileName(name.toString());
    }

    /**
     * The argument list the server was started with, {@code taskset -c <cpus>} first when pinned (the key is in
     * a file, never in this list).
     */
    public List<String> command() {
        return command;
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for the process to exit on its own (a crashed server), then for its output to be read.
     *
     * @return whether it exited within the timeout
     */
    public boolean waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        reader.join(2000);
        return true;
    }

    /** The last bytes of the server's output (stderr merged with stdout), never null. */
    public String stderrTail() {
        return tail.text();
    }

    /** A provider configuration for this server, with the server's API key when it has one. */
    public ProviderConfig providerConfig() {
        return new ProviderConfig(baseUrl, options.apiKey, Duration.ofSeconds(5), Map.of());
    }

    /** A new provider talking to this server; close it before the server. */
    public LlamaCppProvider provider() {
        return new LlamaCppProviderFactory().create(providerConfig());
    }

    /** Stops the server (SIGTERM, then SIGKILL after the grace period) and removes the shutdown hook; idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down and the hook is running or ran; stopping again is harmless.
            LOG.trace("shutdown hook not removed: {}", e.getMessage());
        }
        stopProcess();
    }

    private void stopProcess() {
        // One reparent-aware stop for every process Orket starts (shared with the GPU sidecar's tool).
        if (!ProcessTree.end(process, options.stopGrace)) {
            LOG.warn("llama-server on port {} (pid {}) did not exit after SIGTERM and SIGKILL", port, process.pid());
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(keyFile);
        LOG.debug("stopped llama-server on port {}", port);
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + options.startupDeadline.toNanos();
        // Each poll is bounded as a whole, headers and body, like every call Orket makes outside a run.
        ProviderConfig polling = new ProviderConfig(baseUrl, options.apiKey, Duration.ofSeconds(2), Map.of(),
                Duration.ofSeconds(2));
        int lastStatus = -1;
        try (HttpTransport transport = HttpTransport.builder(polling, "llama-server").threadLabel("llamacpp-health")
                .maxAdminBodyBytes(64 * 1024).build()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new ServerStartException("llama-server for " + options.model + " exited with code "
                            + process.exitValue() + " before it was healthy", outputAfterExit());
                }
                try {
                    lastStatus = transport.get("/health").status();
                    if (lastStatus == 200) {
                        return;
                    }
                } catch (AdminCallException e) {
                    // Not listening yet, or not answering yet.
                    LOG.trace("health not answered yet: {}", e.getMessage());
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new ServerStartException("interrupted while waiting for llama-server to become healthy",
                            tail.text());
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new ServerStartException("llama-server for " + options.model + " was not healthy within "
                            + options.startupDeadline.toMillis() + " ms (last /health status: "
                            + (lastStatus < 0 ? "no answer" : Integer.toString(lastStatus))
                            + "). Raise the startup deadline for large models or check the output below.", tail.text());
                }
                try {
                    Thread.sleep(options.pollInterval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ServerStartException("interrupted while waiting for llama-server to become healthy",
                            tail.text());
                }
            }
        }
    }

    private String outputAfterExit() {
        try {
            // The process has exited, so its pipe is at end of file: the pump ends as soon as it is scheduled. A busy
            // machine may take seconds to schedule it, and the tail is what says why the server died.
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return tail.text();
    }

    private static void pump(InputStream in, TailBuffer tail) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                tail.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // The process ended and its pipe closed.
            LOG.trace("llama-server output closed: {}", e.toString());
        }
    }

    private static @Nullable Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new ServerStartException("could not find a free loopback port: " + e.getMessage(), "");
        }
    }

    private static void addIfSet(List<String> args, String flag, @Nullable Number value) {
        if (value != null) {
            args.add(flag);
            args.add(value.toString());
        }
    }

    private static void deleteQuietly(@Nullable Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("could not delete the temporary key file {}: {}", file, e.toString());
            }
        }
    }

    /** How to start a managed server; every setter returns these options. Not thread-safe. */
    public static final class Options {
        private final Path executable;
        private Path model;
        private @Nullable Integer contextSize;
        private @Nullable Integer threads;
        private @Nullable Integer gpuLayers;
        private @Nullable Long seed;
        private @Nullable Integer parallel;
        private @Nullable Integer port;
        private @Nullable ApiKey apiKey;
        private @Nullable String cpuAffinity;
        private @Nullable Path taskset;
        private List<String> extraArgs = List.of();
        private Map<String, String> environment = Map.of();
        private Duration startupDeadline = Duration.ofSeconds(120);
        private Duration stopGrace = Duration.ofSeconds(10);
        private Duration pollInterval = Duration.ofMillis(100);
        private int tailBytes = 64 * 1024;

        private Options(Path executable, Path model) {
            this.executable = Objects.requireNonNull(executable, "executable");
            this.model = Objects.requireNonNull(model, "model");
        }

        /** A copy of these options serving another GGUF file. */
        public Options withModel(Path value) {
            Options copy = new Options(executable, value);
            copy.contextSize = contextSize;
            copy.threads = threads;
            copy.gpuLayers = gpuLayers;
            copy.seed = seed;
            copy.parallel = parallel;
            copy.port = port;
            copy.apiKey = apiKey;
            copy.cpuAffinity = cpuAffinity;
            copy.taskset = taskset;
            copy.extraArgs = extraArgs;
            copy.environment = environment;
            copy.startupDeadline = startupDeadline;
            copy.stopGrace = stopGrace;
            copy.pollInterval = pollInterval;
            copy.tailBytes = tailBytes;
            return copy;
        }

        /** {@code -c}: the context size in tokens (split across {@code -np} slots). */
        public Options contextSize(@Nullable Integer value) {
            this.contextSize = positiveOrNull(value, "contextSize");
            return this;
        }

        /** {@code -t}: CPU threads. */
        public Options threads(@Nullable Integer value) {
            this.threads = positiveOrNull(value, "threads");
            return this;
        }

        /** {@code -ngl}: layers offloaded to the GPU. */
        public Options gpuLayers(@Nullable Integer value) {
            if (value != null && value < 0) {
                throw new IllegalArgumentException("gpuLayers must be >= 0 but was " + value);
            }
            this.gpuLayers = value;
            return this;
        }

        /** {@code --seed}: the server's default sampling seed. */
        public Options seed(@Nullable Long value) {
            this.seed = value;
            return this;
        }

        /** {@code -np}: parallel slots. */
        public Options parallel(@Nullable Integer value) {
            this.parallel = positiveOrNull(value, "parallel");
            return this;
        }

        /** A fixed port instead of a free one chosen at start. */
        public Options port(@Nullable Integer value) {
            if (value != null && (value <= 0 || value > 65535)) {
                throw new IllegalArgumentException("port must be in [1, 65535] but was " + value);
            }
            this.port = value;
            return this;
        }

        /** The key the server requires, passed in a private file ({@code --api-key-file}). */
        public Options apiKey(@Nullable ApiKey value) {
            this.apiKey = value;
            return this;
        }

        /**
         * Pins the server to a CPU set in {@code taskset -c} syntax (e.g. {@code 0-3}) by starting it under
         * {@code taskset}; null for no pinning. Where {@code taskset} is missing the server starts unpinned and
         * {@link ManagedLlamaServer#affinity()} says so.
         *
         * @throws IllegalArgumentException naming the list when it cannot be read
         */
        public Options cpuAffinity(@Nullable String value) {
            if (value != null) {
                CpuAffinity.parse(value);
            }
            this.cpuAffinity = value;
            return this;
        }

        /** The {@code taskset} executable, when it is not on {@code PATH}. */
        public Options taskset(@Nullable Path value) {
            this.taskset = value;
            return this;
        }

        /** More arguments after Orket's, e.g. {@code ["--no-ui", "--metrics"]}. Host and port are Orket's. */
        public Options extraArgs(List<String> value) {
            for (String arg : value) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                if (name.equals("--host") || name.equals("--port")) {
                    throw new IllegalArgumentException("extraArgs must not set " + name
                            + ": the managed server listens on 127.0.0.1 at a port Orket chooses");
                }
                if (name.equals("--api-key") || name.equals("--api-key-file")) {
                    throw new IllegalArgumentException("extraArgs must not set " + name
                            + ": pass the key with apiKey(), which writes a private file instead of the command line");
                }
            }
            this.extraArgs = List.copyOf(value);
            return this;
        }

        /** Extra environment variables for the process. */
        public Options environment(Map<String, String> value) {
            this.environment = Map.copyOf(value);
            return this;
        }

        /** How long to wait for {@code /health} 200; default 120 s. */
        public Options startupDeadline(Duration value) {
            this.startupDeadline = positive(value, "startupDeadline");
            return this;
        }

        /** How long a stopped server may take to exit before it is killed; default 10 s. */
        public Options stopGrace(Duration value) {
            this.stopGrace = positive(value, "stopGrace");
            return this;
        }

        /** Time between {@code /health} polls; default 100 ms. */
        public Options pollInterval(Duration value) {
            this.pollInterval = positive(value, "pollInterval");
            return this;
        }

        /** Bytes of output kept; default 64 KiB. */
        public Options tailBytes(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("tailBytes must be > 0 but was " + value);
            }
            this.tailBytes = value;
            return this;
        }

        private static @Nullable Integer positiveOrNull(@Nullable Integer value, String name) {
            if (value != null && value <= 0) {
                throw new IllegalArgumentException(name + " must be > 0 but was " + value);
            }
            return value;
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive but was " + value);
            }
            return value;
        }
    }
}
