package dev.orket.core.sweep;

import dev.orket.api.ExecutionLane;
import dev.orket.api.VramProfile;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A quant sweep, as resolved from its JSON config ({@code docs/specs/sweep-config.schema.json}).
 *
 * @param sweepId the sweep's id, or null to generate one
 * @param provider which provider to run on and where its server is
 * @param sidecar which GPU sidecar samples the runs, or null for none
 * @param models the models and their quant tags
 * @param sessions the prompt sessions
 * @param repetitions measured runs per session per cell
 * @param warmupRuns unmeasured runs per cell before its measured ones
 * @param controls seed, threads, affinity, temperature
 * @param executionLane the lane every artifact is labelled with
 * @param vramProfile the VRAM profile every artifact is labelled with
 * @param contextSize the context size every run asks for, or null for the server's (or a context sweep's)
 * @param contextSweep the contexts every quant runs at and their thresholds, or null for one context per sweep
 * @param stream whether runs stream
 * @param timeout the client's deadline for the whole of each run ({@code timeout_ms})
 * @param idleTimeout the longest silence a run accepts while waiting for the response and between two pieces of
 *     it ({@code idle_timeout_ms}), or null for the same as {@code timeout}
 * @param thermalGate the thermal gate
 * @param preflight the VRAM pre-flight
 * @param canary the canary gate
 * @param managedServer a llama-server Orket starts per quant from each model's GGUF files, or null when the
 *     provider's server is already running at {@code provider.base_url}
 * @param serverProcessNames executable names of the measured server's processes (e.g. {@code ollama},
 *     {@code llama-server}), never foreign, for servers Orket did not start and cannot find by a loopback port
 *     (remote hosts seen by a local sidecar, containers); empty for none
 * @param resilience retries, readiness wait and circuit breaker
 * @param digest the SHA-256 of the config text the sweep was read from, recorded in the manifest and checked on
 *     resume (a config built in code gets the digest of its own description)
 * @since 0.1
 */
public record SweepConfig(
        @Nullable String sweepId,
        ProviderSpec provider,
        @Nullable SidecarSpec sidecar,
        List<ModelSpec> models,
        List<PromptSession> sessions,
        int repetitions,
        int warmupRuns,
        ExperimentalControls controls,
        ExecutionLane executionLane,
        VramProfile vramProfile,
        @Nullable Integer contextSize,
        @Nullable ContextSweep contextSweep,
        boolean stream,
        Duration timeout,
        @Nullable Duration idleTimeout,
        ThermalGate thermalGate,
        Preflight preflight,
        CanaryGate canary,
        @Nullable ManagedServer managedServer,
        List<String> serverProcessNames,
        Resilience resilience,
        String digest) {

    /** The most runs (canary + warm-up + measured) one sweep may plan; a larger plan is refused with its size. */
    public static final int MAX_PLANNED_RUNS = 100_000;

    /** The most repetitions per session per cell. */
    public static final int MAX_REPETITIONS = 100_000;

    /** The largest context size accepted, in tokens (2^24). */
    public static final int MAX_CONTEXT_SIZE = 16_777_216;

    /** The largest {@code max_output_tokens} accepted. */
    public static final int MAX_OUTPUT_TOKENS = 1_048_576;

    /** The largest VRAM figure accepted, in MiB (1 PiB). */
    public static final long MAX_VRAM_MIB = 1L << 30;

    public SweepConfig {
        Objects.requireNonNull(provider, "provider");
        models = List.copyOf(models);
        sessions = List.copyOf(sessions);
        Objects.requireNonNull(controls, "controls");
        Objects.requireNonNull(executionLane, "executionLane");
        Objects.requireNonNull(vramProfile, "vramProfile");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout_ms must be > 0 but was " + timeout.toMillis());
        }
        if (idleTimeout != null && (idleTimeout.isNegative() || idleTimeout.isZero())) {
            throw new IllegalArgumentException("idle_timeout_ms must be > 0 but was " + idleTimeout.toMillis());
        }
        Objects.requireNonNull(thermalGate, "thermalGate");
        Objects.requireNonNull(preflight, "preflight");
        Objects.requireNonNull(canary, "canary");
        Objects.requireNonNull(resilience, "resilience");
        Objects.requireNonNull(digest, "digest");
        serverProcessNames = List.copyOf(serverProcessNames);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("models must name at least one model");
        }
        if (sessions.isEmpty()) {
            throw new IllegalArgumentException("sessions must hold at least one prompt session");
        }
        if (repetitions <= 0) {
            throw new IllegalArgumentException("repetitions must be > 0 but was " + repetitions);
        }
        if (warmupRuns < 0) {
            throw new IllegalArgumentException("warmup_runs must be >= 0 but was " + warmupRuns);
        }
        if (sweepId != null && (!sweepId.matches("[A-Za-z0-9._-]{1,128}") || sweepId.contains(".."))) {
            throw new IllegalArgumentException("sweep_id must be 1 to 128 of [A-Za-z0-9._-] without '..' (it names"
                    + " the output directory) but was '" + sweepId + "'");
        }
        if (contextSize != null && (contextSize < 1 || contextSize > MAX_CONTEXT_SIZE)) {
            throw new IllegalArgumentException("context_size must be in [1, " + MAX_CONTEXT_SIZE + "] but was "
                    + contextSize);
        }
        requireUnique("model name", models.stream().map(ModelSpec::name).toList());
        requireUnique("session id", sessions.stream().map(PromptSession::id).toList());
        if (contextSweep != null) {
            checkContextSweep(contextSweep, contextSize, stream, managedServer, models, sessions);
        }
        long planned = plannedRuns(models, contextCount(contextSweep), sessions.size(), repetitions, warmupRuns,
                canary.runs());
        if (planned > MAX_PLANNED_RUNS) {
            long cells = models.stream().mapToLong(m -> m.quants().size()).sum() * contextCount(contextSweep);
            throw new IllegalArgumentException("the sweep plans " + planned + " runs (" + cells + " cell(s) x ("
                    + warmupRuns + " warm-up + " + sessions.size() + " session(s) x " + repetitions
                    + " repetitions) + " + canary.runs() + " canary); at most " + MAX_PLANNED_RUNS
                    + " are accepted. Lower repetitions or split the sweep into several configs.");
        }
        if (managedServer != null) {
            for (ModelSpec model : models) {
                for (String quant : model.quants()) {
                    if (!model.ggufFiles().containsKey(quant)) {
                        throw new IllegalArgumentException("managed_server needs models[].gguf_files to name a file for"
                                + " quant " + quant + " of model '" + model.name() + "'");
                    }
                }
            }
        }
    }

    /** How many runs the sweep plans: canary, warm-up and measured runs together. */
    public long plannedRunCount() {
        return plannedRuns(models, contextCount(contextSweep), sessions.size(), repetitions, warmupRuns,
                canary.runs());
    }

    /**
     * The contexts of the sweep's cells: a context sweep's contexts, or one null (each cell asks for
     * {@code context_size}, or nothing).
     */
    public List<@Nullable Integer> cellContexts() {
        if (contextSweep == null) {
            List<@Nullable Integer> none = new java.util.ArrayList<>();
            none.add(null);
            return none;
        }
        return List.copyOf(contextSweep.contexts());
    }

    private static int contextCount(@Nullable ContextSweep sweep) {
        return sweep == null ? 1 : sweep.contexts().size();
    }

    /**
     * A context sweep sets each cell's context, judges median TTFT (which only a streaming run measures), and fills
     * each prompt to a fraction of the context, which must leave room for the output.
     */
    private static void checkContextSweep(ContextSweep sweep, @Nullable Integer contextSize, boolean stream,
            @Nullable ManagedServer managedServer, List<ModelSpec> models, List<PromptSession> sessions) {
        if (contextSize != null) {
            throw new IllegalArgumentException("context_size and context_sweep are both set; a context sweep runs each"
                    + " quant at each of its contexts, so remove context_size");
        }
        if (managedServer != null && managedServer.contextSize() != null) {
            throw new IllegalArgumentException("managed_server.context_size and context_sweep are both set; a context"
                    + " sweep starts each cell's server with -c <its context>, so remove managed_server.context_size");
        }
        if (!stream) {
            throw new IllegalArgumentException("context_sweep judges median TTFT, which only a streaming run measures;"
                    + " set stream to true");
        }
        for (ModelSpec model : models) {
            // '@' separates the context in cell keys and run ids (model/quant@context/...).
            if (model.name().indexOf('@') >= 0) {
                throw new IllegalArgumentException("model name '" + model.name() + "' contains '@', which separates"
                        + " the context in a context sweep's cell keys and run ids; rename it");
            }
            for (String quant : model.quants()) {
                if (quant.indexOf('@') >= 0) {
                    throw new IllegalArgumentException("quant tag '" + quant + "' of model '" + model.name()
                            + "' contains '@', which separates the context in a context sweep's cell keys and run"
                            + " ids; rename it");
                }
            }
        }
        for (int context : sweep.contexts()) {
            int filler = ContextFill.fillerTokens(context, sweep.promptFill());
            for (PromptSession session : sessions) {
                if ((long) filler + session.maxOutputTokens() >= context) {
                    throw new IllegalArgumentException("context_sweep: at context " + context + " the filler takes "
                            + filler + " tokens (prompt_fill " + sweep.promptFill() + ") and session '" + session.id()
                            + "' asks for up to " + session.maxOutputTokens() + " output tokens: " + filler + " + "
                            + session.maxOutputTokens() + " >= " + context + ", leaving no room for its prompt; lower"
                            + " prompt_fill or max_output_tokens, or drop context " + context);
                }
            }
        }
    }

    private static long plannedRuns(List<ModelSpec> models, int contexts, int sessions, int repetitions, int warmups,
            int canary) {
        long cells = 0;
        for (ModelSpec model : models) {
            cells += (long) model.quants().size() * contexts;
        }
        // Saturating: a hostile config must get its size in the message, not an overflow.
        double perCell = warmups + (double) sessions * repetitions;
        double total = cells * perCell + canary;
        return total >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) total;
    }

    private static void requireUnique(String what, List<String> values) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String value : values) {
            if (!seen.add(value)) {
                throw new IllegalArgumentException(what + " '" + value + "' appears twice; each must be unique, or"
                        + " their runs would share run ids and one would be silently lost");
            }
        }
    }

    /** The same sweep with another VRAM pre-flight (e.g. estimates read from GGUF headers). */
    public SweepConfig withPreflight(Preflight value) {
        return new SweepConfig(sweepId, provider, sidecar, models, sessions, repetitions, warmupRuns, controls,
                executionLane, vramProfile, contextSize, contextSweep, stream, timeout, idleTimeout, thermalGate, value,
                canary, managedServer, serverProcessNames, resilience, digest);
    }

    /** The same sweep against another base URL (an embedded server's port changes from run to run). */
    public SweepConfig withBaseUrl(URI baseUrl) {
        return new SweepConfig(sweepId, new ProviderSpec(provider.id(), baseUrl, provider.apiKeyEnv(),
                provider.settings()), sidecar, models, sessions, repetitions, warmupRuns, controls, executionLane,
                vramProfile, contextSize, contextSweep, stream, timeout, idleTimeout, thermalGate, preflight, canary,
                managedServer, serverProcessNames, resilience, digest);
    }

    /**
     * How a sweep survives the lab: failed runs attempted again on resume, a server waited for, a dead one not
     * burnt through ({@code docs/sweep.md}).
     *
     * @param maxAttempts attempts per run, the first included; a run that failed for a retryable reason is attempted
     *     again on {@code --resume} until it has had this many ({@code max_attempts}, default 3)
     * @param readinessTimeout how long to wait, with backoff, for the provider's probe to say ready before a cell
     *     ({@code readiness_timeout_ms}, default 120 000)
     * @param maxConsecutiveFailures connection-level failures in a row after which a cell is blocked instead of
     *     burning through its runs ({@code max_consecutive_failures}, default 5)
     */
    public record Resilience(int maxAttempts, Duration readinessTimeout, int maxConsecutiveFailures) {

        /** The defaults: 3 attempts, 120 s readiness wait, 5 consecutive failures. */
        public static final Resilience DEFAULT = new Resilience(3, Duration.ofMillis(120_000), 5);

        public Resilience {
            Objects.requireNonNull(readinessTimeout, "readinessTimeout");
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("max_attempts must be >= 1 but was " + maxAttempts);
            }
            if (readinessTimeout.isNegative()) {
                throw new IllegalArgumentException("readiness_timeout_ms must be >= 0 but was "
                        + readinessTimeout.toMillis());
            }
            if (maxConsecutiveFailures < 1) {
                throw new IllegalArgumentException("max_consecutive_failures must be >= 1 but was "
                        + maxConsecutiveFailures);
            }
        }
    }

    /**
     * A llama-server Orket starts per quant (lab lane), on loopback at a free port, without a shell.
     *
     * @param executable the {@code llama-server} executable
     * @param args further arguments, e.g. {@code ["--flash-attn", "on"]}
     * @param contextSize {@code -c}, or null for the server's default
     * @param threads {@code -t}, or null to use the sweep's controls
     * @param gpuLayers {@code -ngl}, or null for the server's default
     * @param startupTimeout how long to wait for {@code /health} 200
     * @param maxRestarts how many times a cell's server that died is started again before the cell is blocked
     */
    public record ManagedServer(java.nio.file.Path executable, List<String> args, @Nullable Integer contextSize,
            @Nullable Integer threads, @Nullable Integer gpuLayers, Duration startupTimeout, int maxRestarts) {

        /** The default of {@code max_restarts}. */
        public static final int DEFAULT_MAX_RESTARTS = 2;

        public ManagedServer {
            Objects.requireNonNull(executable, "executable");
            args = List.copyOf(args);
            Objects.requireNonNull(startupTimeout, "startupTimeout");
            if (maxRestarts < 0) {
                throw new IllegalArgumentException("maxRestarts must be >= 0 but was " + maxRestarts);
            }
        }
    }

    /**
     * The provider a sweep runs on.
     *
     * @param id the provider id ({@code llamacpp}, {@code ollama})
     * @param baseUrl the server's base URL
     * @param apiKeyEnv the environment variable holding the API key, or null; the key itself never sits in a config
     * @param settings provider-specific settings
     */
    public record ProviderSpec(String id, URI baseUrl, @Nullable String apiKeyEnv, Map<String, String> settings) {
        public ProviderSpec {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(baseUrl, "baseUrl");
            settings = Map.copyOf(settings);
        }
    }

    /**
     * The GPU sidecar a sweep samples with.
     *
     * @param id the sidecar id ({@code nvidia-smi})
     * @param command the tool and its leading arguments
     * @param interval time between samples
     * @param gpuIndex the measured GPU, or null for the first
     */
    public record SidecarSpec(String id, List<String> command, Duration interval, @Nullable Integer gpuIndex) {
        public SidecarSpec {
            Objects.requireNonNull(id, "id");
            command = List.copyOf(command);
            Objects.requireNonNull(interval, "interval");
        }
    }

    /**
     * A model and the quant tags to sweep.
     *
     * @param name the model's base name
     * @param quants quant tags, e.g. {@code Q4_K_M}
     * @param serverModelTemplate how the server names one quant: {@code {model}} and {@code {quant}} are replaced
     *     (Ollama: {@code {model}:{quant}})
     * @param ggufFiles the GGUF file of each quant, for a managed llama-server; empty otherwise
     */
    public record ModelSpec(String name, List<String> quants, String serverModelTemplate, Map<String, String> ggufFiles) {
        public ModelSpec {
            Objects.requireNonNull(name, "name");
            quants = List.copyOf(quants);
            Objects.requireNonNull(serverModelTemplate, "serverModelTemplate");
            ggufFiles = Map.copyOf(ggufFiles);
            if (quants.isEmpty()) {
                throw new IllegalArgumentException("model '" + name + "' must list at least one quant");
            }
            if (quants.stream().distinct().count() != quants.size()) {
                throw new IllegalArgumentException("model '" + name + "' lists a quant twice: " + quants);
            }
        }

        /** The name the server knows the quant by. */
        public String serverModel(String quant) {
            return serverModelTemplate.replace("{model}", name).replace("{quant}", quant);
        }
    }

    /**
     * The VRAM pre-flight.
     *
     * @param mode strict, extended or off
     * @param cardVramMib the card's total VRAM in MiB, or null to ask the sidecar
     * @param estimatesMib estimated VRAM per quant tag in MiB (from the GGUF inventory or the operator); in a
     *     context sweep it holds at every context of the quant
     * @param cellEstimatesMib estimated VRAM per cell key in MiB (a managed server's GGUF header at the cell's
     *     context), preferred to the quant's
     */
    public record Preflight(PreflightMode mode, @Nullable Long cardVramMib, Map<String, Long> estimatesMib,
            Map<String, Long> cellEstimatesMib) {
        /** No pre-flight. */
        public static final Preflight OFF = new Preflight(PreflightMode.OFF, null, Map.of());

        public Preflight {
            Objects.requireNonNull(mode, "mode");
            estimatesMib = Map.copyOf(estimatesMib);
            cellEstimatesMib = Map.copyOf(cellEstimatesMib);
        }

        /** A pre-flight with estimates per quant only. */
        public Preflight(PreflightMode mode, @Nullable Long cardVramMib, Map<String, Long> estimatesMib) {
            this(mode, cardVramMib, estimatesMib, Map.of());
        }

        /**
         * The estimate of a cell: its own ({@code cellEstimatesMib} by {@link SweepCell#key()}, e.g. read from a GGUF
         * header at the cell's context), else its quant's, else null.
         */
        public @Nullable Long estimateFor(SweepCell cell) {
            Long own = cellEstimatesMib.get(cell.key());
            return own != null ? own : estimatesMib.get(cell.quant());
        }
    }
}
