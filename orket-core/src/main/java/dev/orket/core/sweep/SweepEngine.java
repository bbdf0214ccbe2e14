package dev.orket.core.sweep;

import dev.orket.api.ConfigurationException;
import dev.orket.api.GpuSample;
import dev.orket.api.MonotonicClock;
import dev.orket.api.ControlApplication;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.HardwareFlag;
import dev.orket.api.ServerIdentity;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.GpuSidecar;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.core.artifact.ArtifactFiles;
import dev.orket.core.artifact.LedgerAttempts;
import dev.orket.core.host.HostSampler;
import dev.orket.core.host.MeasuredServer;
import dev.orket.core.host.ServerProcess;
import dev.orket.core.host.ServerProcessFinder;
import dev.orket.core.host.ServerProcessRule;
import dev.orket.core.policy.RunPolicy;
import dev.orket.core.telemetry.RecordingListener;
import dev.orket.core.telemetry.RunCancellation;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a quant sweep into an output directory: manifest first, then the canary gate, then every cell with its VRAM
 * pre-flight, readiness wait, served-quant check, warm-ups, thermal gate and measured runs, each run written to its
 * ledger and forced to disk before the next starts. Run again on the same directory, it resumes: runs whose last
 * attempt counts are skipped, runs that failed for a retryable reason are attempted again up to
 * {@code max_attempts}, blocked cells are tried again, and a torn last line is moved aside and its run done again.
 * Progress is reported as typed {@link SweepEvent}s.
 *
 * <pre>{@code
 * SweepConfig config = SweepConfigReader.read(Path.of("sweep.json"));
 * SweepOutcome outcome = SweepEngine.builder()
 *         .config(config)
 *         .provider(provider)
 *         .outputDir(Path.of("orket-out/my-sweep"))
 *         .listener(event -> System.out.println(event.eventName()))
 *         .build()
 *         .run();
 * }</pre>
 *
 * @since 0.1
 */
public final class SweepEngine {

    /** The marker file that makes a directory an Orket output directory (cleanup refuses others). */
    public static final String OUTPUT_MARKER = ".orket-output";

    private static final Logger LOG = LoggerFactory.getLogger(SweepEngine.class);

    private final SweepConfig config;
    private final CellProvider.Opener opener;
    private final Function<SweepCell, @Nullable GpuSidecar> sidecarFor;
    private final @Nullable String sidecarId;
    private final RecordingListener recordingListener;
    private final List<SweepListener> listeners;
    private final Path outputDir;
    /** The config's sweep id, else the output directory's name. */
    private final String sweepId;
    private final MonotonicClock clock;
    private final Clock wallClock;
    private final Sleeper sleeper;
    private final OutputScorer scorer;
    private final SweepPlan plan;
    private final RunPolicy policy;
    private final String providerId;
    private final @Nullable OutputLock heldLock;
    private final @Nullable HostSampler hostSampler;
    private final ServerProcessFinder finder;
    /** Whether one provider serves every cell (its processes are resolved once), or each cell opens its own. */
    private final boolean sharedServer;
    /** Each model's baseline quant, as the plan ordered it. */
    private final Map<String, String> baselineQuantByModel = new java.util.HashMap<>();

    private SweepEngine(Builder b) {
        this.config = Objects.requireNonNull(b.config, "config");
        InferenceProvider shared = b.provider;
        if (b.opener != null) {
            this.opener = b.opener;
        } else {
            Objects.requireNonNull(shared, "provider");
            Set<Long> pids = Set.copyOf(b.serverProcessIds);
            MeasuredServer external = new MeasuredServer(ServerProcessRule.forBaseUrl(config.provider().baseUrl(),
                    config.serverProcessNames()).withPids(pids), Map.of(ExperimentalControl.AFFINITY,
                    externalAffinity(config.controls().affinityPolicy())));
            this.opener = cell -> new CellProvider() {
                @Override
                public InferenceProvider provider() {
                    return shared;
                }

                @Override
                public Set<Long> serverProcessIds() {
                    return pids;
                }

                @Override
                public MeasuredServer measuredServer() {
                    return external;
                }

                @Override
                public void close() {
                    // The shared provider outlives the cell; its owner closes it.
                }
            };
        }
        this.sharedServer = b.opener == null;
        this.providerId = b.providerId != null ? b.providerId : shared != null ? shared.id() : "unknown";
        GpuSidecar single = b.sidecar;
        this.sidecarFor = b.sidecarFor != null ? b.sidecarFor : cell -> single;
        this.sidecarId = b.sidecarId != null ? b.sidecarId : single == null ? null : single.id();
        this.recordingListener = b.recordingListener;
        this.listeners = List.copyOf(b.listeners);
        this.outputDir = Objects.requireNonNull(b.outputDir, "outputDir");
        this.sweepId = config.sweepId() != null ? config.sweepId() : outputDir.getFileName().toString();
        this.clock = b.clock;
        this.wallClock = b.wallClock;
        this.sleeper = b.sleeper;
        this.scorer = b.scorer != null ? b.scorer : SessionScoring.forSessions(config.sessions());
        this.plan = SweepPlan.resolve(config, b.higherPrecisionFirst, b.shard);
        for (SweepCell cell : plan.cells()) {
            if (cell.baseline()) {
                baselineQuantByModel.put(cell.model(), cell.quant());
            }
        }
        this.policy = b.policy;
        this.heldLock = b.outputLock;
        if (heldLock != null && !heldLock.covers(outputDir)) {
            throw new IllegalArgumentException("the output lock held on " + heldLock.directory()
                    + " does not cover the output directory " + outputDir);
        }
        this.hostSampler = b.hostSampler;
        this.finder = b.finder;
    }

    /** A server Orket did not start cannot be pinned to CPUs: said, so a lab run records the control not applied. */
    private static ControlApplication externalAffinity(String policy) {
        if (policy.trim().equalsIgnoreCase("none")) {
            return ControlApplication.notApplicable("affinity_policy none");
        }
        return ControlApplication.notApplied(policy, "affinity applies only to a managed server Orket starts;"
                + " this server was already running (use managed_server, or pin the server yourself and set"
                + " affinity_policy none)");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The SHA-256 of a config's bytes, recorded in the manifest and checked on resume. */
    public static String digest(String configText) {
        return TextDigest.sha256(configText);
    }

    /** The resolved plan (this shard's part, when the sweep is split). */
    public SweepPlan plan() {
        return plan;
    }

    /**
     * Runs (or resumes) the sweep on the calling thread, holding the output directory's lock throughout (the
     * caller's, when one was given to the builder). Interrupting the thread stops the sweep at the current run, as
     * {@link SweepHandle#cancel()} does: the outcome is {@link SweepOutcome.Status#INTERRUPTED} and no exception
     * escapes.
     *
     * @throws OutputDirectoryInUseException when another process is writing the directory
     */
    public SweepOutcome run() {
        return runWith(new SweepHandle.Cancellation());
    }

    /**
     * Starts the sweep on a new thread and returns at once; {@link SweepHandle#await()} gives the outcome and
     * {@link SweepHandle#cancel()} stops it at the current run.
     */
    public SweepHandle start() {
        SweepHandle.Cancellation cancellation = new SweepHandle.Cancellation();
        SweepHandle handle = new SweepHandle(cancellation);
        Thread thread = new Thread(() -> {
            try {
                handle.finished(runWith(cancellation));
            } catch (RuntimeException | Error e) {
                handle.failed(e);
            }
        }, "orket-sweep");
        thread.start();
        return handle;
    }

    private SweepOutcome runWith(SweepHandle.Cancellation cancellation) {
        if (heldLock != null) {
            return new Invocation(cancellation).run();
        }
        // Checked before the lock file is made, so a refused directory is left exactly as it was.
        OutputDirectory.requireUsable(outputDir);
        try (OutputLock lock = OutputLock.acquire(outputDir)) {
            Invocation invocation = new Invocation(cancellation);
            if (lock.staleHolderPid() != null) {
                invocation.emit(new SweepEvent.Warning("stale_lock_taken_over", "took over the lock of " + outputDir
                        + " left by process " + lock.staleHolderPid() + ", which ended without releasing it"));
            }
            return invocation.run();
        }
    }

    /** One run of the engine over the output directory: its ledgers, counters, open server and stop request. */
    private final class Invocation {
        private final SweepHandle.Cancellation cancellation;
        private final Map<RunPhase, RunLedger> ledgers = new EnumMap<>(RunPhase.class);
        private final List<RunLedger.TornLine> torn = new ArrayList<>();
        private final Map<String, String> blocked = new LinkedHashMap<>();
        private final GpuChecks gpu;
        private final CellServers servers;
        /** What the manifest holds besides the plan: rewritten whole when a server's processes or identity are learnt. */
        private @Nullable Instant manifestCreatedAt;
        private final List<SweepArtifacts.ResolvedServerProcess> serverProcesses = new ArrayList<>();
        private final Map<String, SweepArtifacts.CellIdentity> identities = new LinkedHashMap<>();
        private boolean sharedResolved;
        private int done;
        private int remaining;
        private int resumed;

        Invocation(SweepHandle.Cancellation cancellation) {
            this.cancellation = cancellation;
            this.gpu = new GpuChecks(config, sidecarFor, clock, this::pause, this::emit);
            this.servers = new CellServers(opener, config, this::recordServerProcesses, this::recordIdentity, clock,
                    this::pause, this::emit);
        }

        SweepOutcome run() {
            prepareOutputDir();
            try {
                openLedgers();
                int planned = plan.allRuns().size();
                for (PlannedRun run : plan.allRuns()) {
                    if (nextAttempt(run) == 0) {
                        resumed++;
                    }
                }
                remaining = planned - resumed;
                emit(new SweepEvent.SweepStarted(sweepId, outputDir, config.executionLane(), config.vramProfile(),
                        plan.cells().size(), planned, resumed, remaining));
                CanaryVerdict canary = canaryGate();
                if (canary == null) {
                    return finish(SweepOutcome.Status.INTERRUPTED, CanaryVerdict.skipped());
                }
                if (!canary.passed()) {
                    return finish(SweepOutcome.Status.ABORTED_BY_CANARY, canary);
                }
                Long cardVram = gpu.cardVramMib(plan.cells().get(0));
                boolean first = true;
                for (SweepCell cell : plan.cells()) {
                    if (cancellation.requested()) {
                        break;
                    }
                    if (runCell(cell, cardVram, first)) {
                        first = false;
                    }
                }
                writeJson("blocked_cells.json", SweepArtifacts.blockedJson(sweepId, config, blocked));
                return finish(cancellation.requested() ? SweepOutcome.Status.INTERRUPTED
                        : SweepOutcome.Status.COMPLETED, canary);
            } finally {
                servers.close();
                for (RunLedger ledger : ledgers.values()) {
                    ledger.close();
                }
            }
        }

        private SweepOutcome finish(SweepOutcome.Status status, CanaryVerdict canary) {
            SweepOutcome outcome = new SweepOutcome(sweepId, outputDir, status, canary, done, resumed, blocked, torn);
            emit(new SweepEvent.SweepFinished(outcome));
            return outcome;
        }

        private void openLedgers() {
            for (RunPhase phase : RunPhase.values()) {
                RunLedger ledger = RunLedger.open(outputDir.resolve(phase.ledgerFile()));
                RunLedger.TornLine tornLine = ledger.tornLine();
                if (tornLine != null) {
                    torn.add(tornLine);
                    emit(new SweepEvent.TornLineRecovered(phase.ledgerFile(), tornLine.lineNumber(), tornLine.bytes(),
                            tornLine.movedTo()));
                }
                for (LedgerAttempts.Duplicate d : ledger.duplicates()) {
                    emit(new SweepEvent.Warning("duplicate_ledger_line", "line " + d.line() + " of "
                            + phase.ledgerFile() + " repeats line " + d.firstLine() + " (run " + d.runId()
                            + ") byte for byte; ignored, the run counts once"));
                }
                ledgers.put(phase, ledger);
            }
        }

        /** The canary verdict, or null when the sweep was stopped before the gate could judge. */
        private @Nullable CanaryVerdict canaryGate() {
            if (plan.canaryRuns().isEmpty()) {
                return CanaryVerdict.skipped();
            }
            SweepCell first = plan.cells().get(0);
            boolean pending = plan.canaryRuns().stream().anyMatch(run -> nextAttempt(run) > 0)
                    || first.runs().stream().anyMatch(run -> run.phase() == RunPhase.WARMUP && nextAttempt(run) > 0);
            if (pending) {
                try {
                    servers.start(first);
                } catch (CellServers.CellBlockedException e) {
                    return canaryJudged(new CanaryVerdict(false, 0, 0, null, null, null, List.of(e.getMessage())));
                }
                // The first cell warms up before its canary runs, so a cold JVM or a cold model cannot fail the gate.
                List<PlannedRun> gateRuns = new ArrayList<>();
                for (PlannedRun run : first.runs()) {
                    if (run.phase() == RunPhase.WARMUP) {
                        gateRuns.add(run);
                    }
                }
                gateRuns.addAll(plan.canaryRuns());
                for (PlannedRun run : gateRuns) {
                    if (!execute(run, first, Map.of())) {
                        return null;
                    }
                    LedgerEntry last = ledgers.get(run.phase()).last(run.runId());
                    String contextMismatch = last != null && last.telemetry().completed()
                            ? servers.contextMismatchAfterRun(first) : null;
                    if (contextMismatch != null) {
                        // The first cell's server runs another context: what the canary measured is not the cell.
                        block(first, contextMismatch);
                        servers.closeOpen();
                        return canaryJudged(new CanaryVerdict(false, 0, 0, null, null, null,
                                List.of(contextMismatch)));
                    }
                }
            }
            return canaryJudged(CanaryVerdict.judge(ledgers.get(RunPhase.CANARY).entries(), config.canary()));
        }

        /** Writes the gate's verdict and tells the listeners; returns it. */
        private CanaryVerdict canaryJudged(CanaryVerdict verdict) {
            writeJson("canary_verdict.json", SweepArtifacts.canaryJson(sweepId, config, verdict));
            emit(new SweepEvent.CanaryFinished(verdict));
            return verdict;
        }

        /** Runs one cell's pending runs; true when the cell ran (for the cooldown between cells). */
        private boolean runCell(SweepCell cell, @Nullable Long cardVram, boolean first) {
            Map<HardwareFlag, String> cellFlags = new EnumMap<>(HardwareFlag.class);
            String refused = gpu.preflight(cell, cardVram, cellFlags);
            if (refused != null) {
                block(cell, refused);
                return false;
            }
            List<PlannedRun> pending = cell.runs().stream().filter(run -> nextAttempt(run) > 0).toList();
            if (pending.isEmpty()) {
                // Done before a resume: no need to start its server again.
                return false;
            }
            CellProvider provider;
            try {
                provider = servers.start(cell);
            } catch (CellServers.CellBlockedException e) {
                block(cell, e.getMessage());
                return false;
            }
            if (!first && !config.thermalGate().cooldownBetweenCells().isZero()
                    && !pause(config.thermalGate().cooldownBetweenCells())) {
                return true;
            }
            emit(new SweepEvent.CellStarted(cell.model(), cell.quant(), cell.context(), servers.identity(cell),
                    pending.size()));
            int restarts = 0;
            int consecutiveFailures = 0;
            for (PlannedRun run : pending) {
                if (cancellation.requested()) {
                    return true;
                }
                if (!provider.alive()) {
                    int maxRestarts = config.managedServer() == null ? 0 : config.managedServer().maxRestarts();
                    if (restarts >= maxRestarts) {
                        block(cell, CellServers.withTail("server_died:restarted " + restarts + " times (max_restarts "
                                + maxRestarts + ")", provider.outputTail()));
                        servers.closeOpen();
                        return true;
                    }
                    restarts++;
                    emit(new SweepEvent.Warning("server_restarted", "cell " + cell.key() + ": its server died;"
                            + " starting it again (restart " + restarts + " of " + maxRestarts + ")"));
                    try {
                        provider = servers.restart(cell);
                    } catch (CellServers.CellBlockedException e) {
                        block(cell, "server_died:" + e.getMessage());
                        return true;
                    }
                }
                Map<HardwareFlag, String> flags = new EnumMap<>(HardwareFlag.class);
                flags.putAll(cellFlags);
                if (run.phase() == RunPhase.MEASURED) {
                    String unsettled = gpu.thermalGate(cell, run.runId());
                    if (unsettled != null) {
                        // The gate paced the run; that the card never settled is advisory, never a verdict.
                        flags.put(HardwareFlag.THERMAL_NOT_SETTLED, unsettled);
                    }
                }
                if (!execute(run, cell, flags)) {
                    return true;
                }
                LedgerEntry last = ledgers.get(run.phase()).last(run.runId());
                if (last != null && last.telemetry().completed()) {
                    String contextMismatch = servers.contextMismatchAfterRun(cell);
                    if (contextMismatch != null) {
                        // A server that runs another context than the cell's measures another cell: stop here.
                        block(cell, contextMismatch);
                        servers.closeOpen();
                        return true;
                    }
                }
                if (last != null && RetryPolicy.isConnectionLevel(last.telemetry())) {
                    consecutiveFailures++;
                    if (consecutiveFailures >= config.resilience().maxConsecutiveFailures() && provider.alive()) {
                        block(cell, "circuit_open:" + consecutiveFailures + " connection-level failures in a row"
                                + " (last: " + last.telemetry().outcome().failureKind() + ": "
                                + last.telemetry().outcome().failureMessage() + ")");
                        servers.closeOpen();
                        return true;
                    }
                } else {
                    consecutiveFailures = 0;
                }
            }
            servers.unload(cell);
            return true;
        }

        private void block(SweepCell cell, String reason) {
            blocked.put(cell.key(), reason);
            emit(new SweepEvent.CellBlocked(cell.model(), cell.quant(), cell.context(), reason));
        }

        /** Executes the run's next attempt and writes it; false when the sweep was asked to stop. */
        private boolean execute(PlannedRun run, SweepCell cell, Map<HardwareFlag, String> flags) {
            int attempt = nextAttempt(run);
            if (attempt == 0) {
                return true;
            }
            if (cancellation.requested()) {
                return false;
            }
            RunRequest request = request(run);
            RunExecutor executor = RunExecutor.builder()
                    .clock(clock)
                    .wallClock(wallClock)
                    .policy(policy)
                    .listener(recordingListener)
                    .sidecar(sidecarFor.apply(cell))
                    .measuredGpuIndex(config.sidecar() == null ? null : config.sidecar().gpuIndex())
                    .serverIdentity(servers.identity(cell))
                    .hostSampler(hostSampler)
                    .serverProcessFinder(finder)
                    .build();
            CellProvider provider = servers.current(cell);
            RunResult result;
            RunCancellation stop = cancellation.enterRun();
            try {
                result = executor.execute(provider.provider(), request, provider.measuredServer(), flags, stop);
            } finally {
                cancellation.exitRun();
            }
            String baseline = baselineFor(run, cell.baseline());
            // The baseline quant, and the first canary run, are their own baseline: agreement with themselves.
            boolean ownBaseline = baseline == null && (run.phase() == RunPhase.CANARY || cell.baseline());
            Double score = result.telemetry().completed()
                    ? scorer.score(run.session(), result.outputText(), ownBaseline ? result.outputText() : baseline)
                    : null;
            if (result.telemetry().completed()) {
                servers.refreshIdentityIfIncomplete(cell);
            }
            LedgerEntry entry = new LedgerEntry(result.telemetry(), run.session().scorer(), score,
                    TextDigest.sha256(result.outputText()), result.outputText(), attempt);
            writeSamples(run, result.gpuSamples());
            ledgers.get(run.phase()).append(entry);
            done++;
            remaining--;
            emit(new SweepEvent.RunFinished(run.runId(), run.phase(), attempt, request, result.telemetry(), score,
                    done, remaining));
            return !cancellation.requested();
        }

        private int nextAttempt(PlannedRun run) {
            return RetryPolicy.nextAttempt(ledgers.get(run.phase()).last(run.runId()),
                    config.resilience().maxAttempts());
        }

        /**
         * The output a run is scored against: the model's highest-precision quant's output for the same session
         * and repetition (for canary runs, the first canary run's output: a determinism check).
         */
        private @Nullable String baselineFor(PlannedRun run, boolean baselineCell) {
            if (run.phase() == RunPhase.CANARY) {
                for (LedgerEntry entry : ledgers.get(RunPhase.CANARY).entries()) {
                    if (entry.telemetry().completed()) {
                        return entry.outputText();
                    }
                }
                return null;
            }
            if (baselineCell) {
                return null;
            }
            // The baseline quant's run of the same session and repetition, at the same context.
            String baselineQuant = baselineQuantByModel.get(run.model());
            RunLedger measured = ledgers.get(RunPhase.MEASURED);
            // Looked up by id: scanning (and copying) the ledger for every run made a sweep quadratic in its runs.
            LedgerEntry same = measured.last(SweepPlan.measuredRunId(run.model(), baselineQuant, run.context(),
                    run.session().id(), run.repetition()));
            if (same != null && same.telemetry().completed()) {
                return same.outputText();
            }
            String baselineSession = SweepCell.key(run.model(), baselineQuant, run.context()) + "/" + run.session().id()
                    + "/";
            for (LedgerEntry entry : measured.entries()) {
                if (entry.telemetry().completed() && entry.runId().startsWith(baselineSession)) {
                    return entry.outputText();
                }
            }
            return null;
        }

        /** Waits on the sleeper; false when the sweep was asked to stop before or while waiting. */
        private boolean pause(Duration duration) {
            if (cancellation.requested()) {
                return false;
            }
            cancellation.enter();
            try {
                sleeper.sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                cancellation.exit();
            }
            return !cancellation.requested();
        }

        private void writeManifest() {
            Instant createdAt = manifestCreatedAt;
            if (createdAt != null) {
                writeJson(OutputDirectory.MANIFEST, SweepArtifacts.manifestJson(sweepId, config, config.digest(), plan,
                        providerId, sidecarId, createdAt, serverProcesses, identities));
            }
        }

        private void recordIdentity(SweepCell cell, ServerIdentity identity) {
            identities.put(cell.key(), new SweepArtifacts.CellIdentity(cell.quant(), identity));
            writeManifest();
        }

        /**
         * Resolves a server's processes when it opens and records them in the manifest: a shared server's once, a
         * per-cell server's every time (its processes are new each start).
         */
        private void recordServerProcesses(SweepCell cell, CellProvider provider) {
            if (sharedServer && sharedResolved) {
                return;
            }
            sharedResolved = true;
            MeasuredServer server = provider.measuredServer();
            List<ServerProcess> found;
            try {
                found = finder.resolve(server.processes());
            } catch (RuntimeException e) {
                LOG.warn("could not resolve the server's processes: {}", e.toString());
                found = List.of();
            }
            String where = sharedServer ? null : cell.key();
            if (found.isEmpty()) {
                emit(new SweepEvent.Warning("server_processes_not_found", "no process of the measured server found"
                        + (where == null ? "" : " for " + where)
                        + (server.processes().isEmpty() ? " (none known: set server_process_names)" : "")
                        + "; every GPU process and all CPU use beyond Orket's counts as foreign"));
            }
            for (ServerProcess process : found) {
                serverProcesses.add(new SweepArtifacts.ResolvedServerProcess(where, process));
            }
            writeManifest();
        }

        void emit(SweepEvent event) {
            for (SweepListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    // A listener observes; it never stops the sweep.
                    LOG.warn("sweep listener {} failed on {}: {}", listener, event.eventName(), e.toString());
                }
            }
        }

        private void prepareOutputDir() {
            OutputDirectory.claim(outputDir);
            try {
                Path manifest = outputDir.resolve(OutputDirectory.MANIFEST);
                if (Files.exists(manifest)) {
                    String text = Files.readString(manifest);
                    String existing = SweepArtifacts.configDigestOf(text);
                    if (!config.digest().equals(existing)) {
                        throw new ConfigurationException("Output directory " + outputDir + " holds sweep with config"
                                + " digest " + existing + " but this config's digest is " + config.digest()
                                + "; resume with the same config or choose a new output directory.");
                    }
                    Shard recorded = SweepArtifacts.shardOf(text);
                    if (!recorded.equals(plan.shard())) {
                        throw new ConfigurationException("Output directory " + outputDir + " holds shard " + recorded
                                + " of its sweep but this invocation runs shard " + plan.shard()
                                + "; resume with --shard " + recorded + " or choose a new output directory.");
                    }
                    SweepArtifacts.ContextSweepRecord recordedSweep = SweepArtifacts.contextSweepOf(text);
                    String recordedContexts = recordedSweep == null ? null : recordedSweep.recorded();
                    String configContexts = config.contextSweep() == null ? null
                            : SweepArtifacts.contextSweepJson(config.contextSweep());
                    if (!Objects.equals(recordedContexts, configContexts)) {
                        // The config's digest is the same, but its profile file changed: another plan or verdict.
                        throw new ConfigurationException("Output directory " + outputDir + " holds a sweep whose"
                                + " context_sweep resolved to " + recordedContexts + " but this config's resolves to "
                                + configContexts + " (its profiles_file changed); restore the profile file or choose"
                                + " a new output directory.");
                    }
                    // A resumed sweep keeps the manifest's creation time and what it recorded of the servers.
                    manifestCreatedAt = SweepArtifacts.createdAtOf(text);
                    serverProcesses.addAll(SweepArtifacts.serverProcessesOf(text));
                    identities.putAll(SweepArtifacts.cellIdentitiesOf(text));
                    return;
                }
                manifestCreatedAt = wallClock.instant();
                writeManifest();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare output directory " + outputDir + ": "
                        + IoCause.describe(e), e);
            }
        }
    }

    private RunRequest request(PlannedRun run) {
        ContextSweep contextSweep = config.contextSweep();
        Integer context = run.context();
        // In a context sweep the prompt fills a fixed fraction of the cell's context (ContextFill).
        String prompt = context != null && contextSweep != null
                ? ContextFill.prompt(run.session().prompt(), context, contextSweep.promptFill())
                : run.session().prompt();
        return RunRequest.builder(run.runId(), run.serverModel(), prompt)
                .sweepId(sweepId)
                .sessionId(run.session().id())
                .quantTag(run.quant())
                .modelFamily(run.model())
                .promptStyle(run.session().style())
                .stream(config.stream())
                .maxOutputTokens(run.session().maxOutputTokens())
                .seed(config.controls().seed())
                .temperature(config.controls().temperature())
                .contextSize(context != null ? context : config.contextSize())
                .threads(config.controls().threads())
                .expectColdPromptCache(run.phase() != RunPhase.WARMUP)
                .warmup(run.phase() == RunPhase.WARMUP)
                .executionLane(config.executionLane())
                .vramProfile(config.vramProfile())
                .timeout(config.timeout())
                .idleTimeout(config.idleTimeout())
                .build();
    }

    private void writeSamples(PlannedRun run, List<GpuSample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        Path file = SweepArtifacts.sidecarSamplesFile(outputDir, run.runId());
        try {
            Files.createDirectories(file.getParent());
            StringBuilder lines = new StringBuilder();
            for (GpuSample sample : samples) {
                lines.append(SweepArtifacts.sampleJson(run.runId(), config, sample)).append('\n');
            }
            Files.writeString(file, lines.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // Sidecar samples are evidence, not results: losing them never fails a run.
            LOG.warn("cannot write sidecar samples {}: {}", file, e.toString());
        }
    }

    private void writeJson(String name, String json) {
        ArtifactFiles.writeAtomically(outputDir.resolve(name), json + "\n");
    }

    /** Configures a {@link SweepEngine}: a config, a provider (or one per cell) and an output directory are needed. */
    public static final class Builder {
        private @Nullable SweepConfig config;
        private @Nullable InferenceProvider provider;
        private CellProvider.@Nullable Opener opener;
        private @Nullable String providerId;
        private @Nullable GpuSidecar sidecar;
        private @Nullable Function<SweepCell, @Nullable GpuSidecar> sidecarFor;
        private @Nullable String sidecarId;
        private RecordingListener recordingListener = RecordingListener.NONE;
        private final List<SweepListener> listeners = new ArrayList<>();
        private @Nullable Path outputDir;
        private MonotonicClock clock = MonotonicClock.system();
        private Clock wallClock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private @Nullable OutputScorer scorer;
        private Comparator<String> higherPrecisionFirst = QuantOrder.HIGHER_PRECISION_FIRST;
        private RunPolicy policy = RunPolicy.DEFAULT;
        private Set<Long> serverProcessIds = Set.of();
        private @Nullable OutputLock outputLock;
        private Shard shard = Shard.WHOLE;
        private @Nullable HostSampler hostSampler;
        private ServerProcessFinder finder = ServerProcessFinder.system();

        private Builder() {}

        /** The sweep to run; its digest ({@link SweepConfig#digest()}) is recorded in the manifest and checked on resume. */
        public Builder config(SweepConfig value) {
            this.config = Objects.requireNonNull(value, "config");
            return this;
        }

        /**
         * The output directory's lock, already held by the caller (e.g. to write the report under the same
         * lock); without it, {@link #run()} takes the lock itself.
         */
        public Builder outputLock(OutputLock value) {
            this.outputLock = value;
            return this;
        }

        public Builder provider(InferenceProvider value) {
            this.provider = value;
            return this;
        }

        /**
         * Opens a provider per cell instead of one for the whole sweep, e.g. a managed llama-server per GGUF
         * file; each is closed when its cell ends.
         *
         * @param id the provider id recorded in the manifest
         * @param value opens a cell's provider
         */
        public Builder providerPerCell(String id, CellProvider.Opener value) {
            this.providerId = id;
            this.opener = value;
            return this;
        }

        public Builder sidecar(@Nullable GpuSidecar value) {
            this.sidecar = value;
            return this;
        }

        /**
         * Chooses the sidecar per cell (e.g. a scripted sidecar that plays each quant's VRAM), instead of one
         * sidecar for the whole sweep.
         *
         * @param id the sidecar id recorded in the manifest
         * @param value the sidecar of a cell, or null for none
         */
        public Builder sidecarPerCell(String id, Function<SweepCell, @Nullable GpuSidecar> value) {
            this.sidecarId = id;
            this.sidecarFor = value;
            return this;
        }

        /** Receives the sweep's typed events (several listeners may be added; each gets every event in order). */
        public Builder listener(SweepListener value) {
            this.listeners.add(Objects.requireNonNull(value, "listener"));
            return this;
        }

        /** Observes every wire event of every run, e.g. a scripted server's lock-step on a virtual clock. */
        public Builder recordingListener(RecordingListener value) {
            this.recordingListener = Objects.requireNonNull(value, "recordingListener");
            return this;
        }

        public Builder outputDir(Path value) {
            this.outputDir = value;
            return this;
        }

        public Builder clock(MonotonicClock value) {
            this.clock = value;
            return this;
        }

        public Builder wallClock(Clock value) {
            this.wallClock = value;
            return this;
        }

        public Builder sleeper(Sleeper value) {
            this.sleeper = value;
            return this;
        }

        /** Scores outputs; by default each session's configured scorer ({@link SessionScoring}). */
        public Builder scorer(OutputScorer value) {
            this.scorer = value;
            return this;
        }

        /** Orders quant tags from the highest precision down; by default {@link QuantOrder#HIGHER_PRECISION_FIRST}. */
        public Builder higherPrecisionFirst(Comparator<String> value) {
            this.higherPrecisionFirst = Objects.requireNonNull(value, "higherPrecisionFirst");
            return this;
        }

        public Builder policy(RunPolicy value) {
            this.policy = value;
            return this;
        }

        public Builder serverProcessIds(Set<Long> value) {
            this.serverProcessIds = value;
            return this;
        }

        /** Samples the host with this sampler whatever the lane (default: {@link HostSampler#byLane}). */
        public Builder hostSampler(@Nullable HostSampler value) {
            this.hostSampler = value;
            return this;
        }

        /** Finds the measured server's processes (default: the running system's). */
        public Builder serverProcessFinder(ServerProcessFinder value) {
            this.finder = Objects.requireNonNull(value, "serverProcessFinder");
            return this;
        }

        /** Runs only this shard's part of the sweep ({@link Shard}); the whole sweep by default. */
        public Builder shard(Shard value) {
            this.shard = Objects.requireNonNull(value, "shard");
            return this;
        }

        public SweepEngine build() {
            return new SweepEngine(this);
        }
    }
}
