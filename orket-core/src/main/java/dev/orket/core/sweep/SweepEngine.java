package dev.orket.core.sweep;

import dev.orket.api.ConfigurationException;
import dev.orket.api.GpuSample;
import dev.orket.api.MonotonicClock;
import dev.orket.api.ControlApplication;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.HardwareFlag;
import dev.orket.api.RunRequest;
import dev.orket.api.ServerIdentity;
import dev.orket.api.SidecarReading;
import dev.orket.api.ThrottleReason;
import dev.orket.api.spi.GpuSidecar;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.core.artifact.ArtifactFiles;
import dev.orket.core.host.HostSampler;
import dev.orket.core.host.MeasuredServer;
import dev.orket.core.host.ServerProcess;
import dev.orket.core.host.ServerProcessFinder;
import dev.orket.core.host.ServerProcessRule;
import dev.orket.core.artifact.LedgerAttempts;
import dev.orket.core.policy.RunPolicy;
import dev.orket.core.telemetry.RecordingListener;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
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
 * Runs a quant sweep into an output directory: manifest first, then the canary gate, then every cell
 * with its VRAM pre-flight, warm-ups, thermal gate and measured runs, each run written to its ledger
 * and forced to disk before the next starts. Run again on the same directory, it resumes: runs already
 * in the ledgers are skipped, a torn last line is moved aside and its run done again.
 *
 * @since 0.1
 */
public final class SweepEngine {

    /** The marker file that makes a directory an Orket output directory (cleanup refuses others). */
    public static final String OUTPUT_MARKER = ".orket-output";

    private static final Logger LOG = LoggerFactory.getLogger(SweepEngine.class);

    private final SweepConfig config;
    private final String configDigest;
    private final CellProvider.Opener opener;
    /** The opener of a provider shared by every cell (null when each cell opens its own server). */
    private final CellProvider.@Nullable Opener sharedOpener;
    private boolean sharedResolved;
    private @Nullable CellProvider open;
    private @Nullable SweepCell openCell;
    private final Function<SweepCell, @Nullable GpuSidecar> sidecarFor;
    private final @Nullable String sidecarId;
    private final RecordingListener listener;
    private final Path outputDir;
    private final MonotonicClock clock;
    private final Clock wallClock;
    private final Sleeper sleeper;
    private final OutputScorer scorer;
    private final SweepPlan plan;
    /** Each model's baseline quant, as the plan ordered it. */
    private final Map<String, String> baselineQuantByModel = new java.util.HashMap<>();
    /** What each cell's server said it serves, read before the cell's first run. */
    private final Map<SweepCell, ServerIdentity> identities = new java.util.HashMap<>();
    private final SweepProgress progress;
    private final RunPolicy policy;
    private final String providerId;
    private final @Nullable HostSampler hostSampler;
    private final ServerProcessFinder finder;
    /** Every server process resolved so far, with the cell it served (null for a server shared by all cells). */
    private final List<SweepArtifacts.ResolvedServerProcess> resolvedServerProcesses = new ArrayList<>();
    private @Nullable Instant manifestCreatedAt;
    private @Nullable String manifestSweepId;
    private final @Nullable OutputLock heldLock;

    private SweepEngine(Builder b) {
        this.config = Objects.requireNonNull(b.config, "config");
        this.configDigest = Objects.requireNonNull(b.configDigest, "configDigest");
        InferenceProvider shared = b.provider;
        if (b.opener != null) {
            this.opener = b.opener;
            this.sharedOpener = null;
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
            this.sharedOpener = this.opener;
        }
        this.providerId = b.providerId != null ? b.providerId : shared != null ? shared.id() : "unknown";
        GpuSidecar single = b.sidecar;
        this.sidecarFor = b.sidecarFor != null ? b.sidecarFor : cell -> single;
        this.sidecarId = b.sidecarId != null ? b.sidecarId : single == null ? null : single.id();
        this.listener = b.listener;
        this.outputDir = Objects.requireNonNull(b.outputDir, "outputDir");
        this.clock = b.clock;
        this.wallClock = b.wallClock;
        this.sleeper = b.sleeper;
        this.scorer = Objects.requireNonNull(b.scorer, "scorer");
        this.plan = SweepPlan.resolve(config, Objects.requireNonNull(b.higherPrecisionFirst, "higherPrecisionFirst"));
        for (SweepCell cell : plan.cells()) {
            if (cell.baseline()) {
                baselineQuantByModel.put(cell.model(), cell.quant());
            }
        }
        this.progress = b.progress;
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
        return sha256(configText);
    }

    /** The resolved plan. */
    public SweepPlan plan() {
        return plan;
    }

    /**
     * Runs (or resumes) the sweep, holding the output directory's lock throughout (the caller's, when
     * one was given to the builder).
     *
     * @throws OutputDirectoryInUseException when another process is writing the directory
     */
    public SweepOutcome run() {
        if (heldLock != null) {
            return runLocked();
        }
        // Checked before the lock file is made, so a refused directory is left exactly as it was.
        OutputDirectory.requireUsable(outputDir);
        try (OutputLock lock = OutputLock.acquire(outputDir)) {
            if (lock.staleHolderPid() != null) {
                progress.note("took over the lock of " + outputDir + " left by process " + lock.staleHolderPid()
                        + ", which ended without releasing it");
            }
            return runLocked();
        }
    }

    private SweepOutcome runLocked() {
        String sweepId = config.sweepId() != null ? config.sweepId() : outputDir.getFileName().toString();
        prepareOutputDir(sweepId, plan);
        Map<RunPhase, RunLedger> ledgers = new EnumMap<>(RunPhase.class);
        List<RunLedger.TornLine> torn = new ArrayList<>();
        try {
            for (RunPhase phase : RunPhase.values()) {
                RunLedger ledger = RunLedger.open(outputDir.resolve(phase.ledgerFile()));
                if (ledger.tornLine() != null) {
                    torn.add(ledger.tornLine());
                    progress.note("torn last line " + ledger.tornLine().lineNumber() + " of " + phase.ledgerFile()
                            + " (" + ledger.tornLine().bytes() + " bytes) moved to " + ledger.tornLine().movedTo()
                            + "; its run will be done again");
                }
                for (LedgerAttempts.Duplicate d : ledger.duplicates()) {
                    progress.note("line " + d.line() + " of " + phase.ledgerFile() + " repeats line " + d.firstLine()
                            + " (run " + d.runId() + ") byte for byte; ignored, the run counts once");
                }
                ledgers.put(phase, ledger);
            }
            int total = plan.allRuns().size();
            int resumed = 0;
            for (PlannedRun run : plan.allRuns()) {
                if (ledgers.get(run.phase()).contains(run.runId())) {
                    resumed++;
                }
            }
            Counter counter = new Counter(total - resumed);

            if (!plan.canaryRuns().isEmpty()) {
                // The first cell warms up before its canary runs, so a cold JVM or a cold model cannot fail the gate.
                SweepCell first = plan.cells().get(0);
                String notStarted;
                try {
                    providerFor(first);
                    notStarted = quantMismatch(first);
                } catch (RuntimeException e) {
                    notStarted = "server_start_failed:" + e.getMessage();
                }
                if (notStarted != null) {
                    CanaryVerdict failed = new CanaryVerdict(false, 0, 0, null, null, null, List.of(notStarted));
                    writeJson("canary_verdict.json", SweepArtifacts.canaryJson(sweepId, config, failed));
                    progress.note("canary gate failed: the first cell cannot run: " + notStarted);
                    return new SweepOutcome(sweepId, outputDir, SweepOutcome.Status.ABORTED_BY_CANARY, failed,
                            counter.done, resumed, Map.of(), torn);
                }
                for (PlannedRun run : first.runs()) {
                    if (run.phase() == RunPhase.WARMUP) {
                        execute(sweepId, run, first, ledgers.get(RunPhase.WARMUP), Map.of(), counter,
                                baselineFrom(ledgers, run, true));
                    }
                }
            }
            for (PlannedRun run : plan.canaryRuns()) {
                execute(sweepId, run, plan.cells().get(0), ledgers.get(RunPhase.CANARY), Map.of(), counter,
                        baselineFrom(ledgers, run, true));
            }
            CanaryVerdict canary = config.canary().runs() == 0
                    ? CanaryVerdict.skipped()
                    : CanaryVerdict.judge(ledgers.get(RunPhase.CANARY).entries(), config.canary());
            writeJson("canary_verdict.json", SweepArtifacts.canaryJson(sweepId, config, canary));
            if (!canary.passed()) {
                progress.note("canary gate failed: " + canary.reasons());
                return new SweepOutcome(sweepId, outputDir, SweepOutcome.Status.ABORTED_BY_CANARY, canary,
                        counter.done, resumed, Map.of(), torn);
            }

            Map<String, String> blocked = new LinkedHashMap<>();
            @Nullable Long cardVram = cardVramMib(plan.cells().get(0));
            String previousCell = null;
            for (SweepCell cell : plan.cells()) {
                Map<HardwareFlag, String> cellFlags = new EnumMap<>(HardwareFlag.class);
                String verdict = preflight(cell, cardVram, cellFlags);
                if (verdict != null) {
                    blocked.put(cell.model() + "/" + cell.quant(), verdict);
                    progress.note("cell " + cell.model() + "/" + cell.quant() + " blocked by VRAM pre-flight: "
                            + verdict);
                    continue;
                }
                if (cell.runs().stream().allMatch(r -> ledgers.get(r.phase()).contains(r.runId()))) {
                    // Done before a resume: no need to start its server again.
                    continue;
                }
                String cellKey = cell.model() + "/" + cell.quant();
                String mismatch;
                try {
                    providerFor(cell);
                    mismatch = quantMismatch(cell);
                } catch (RuntimeException e) {
                    blocked.put(cellKey, "server failed to start: " + e.getMessage());
                    progress.note("cell " + cellKey + " skipped: its server failed to start: " + e.getMessage());
                    continue;
                }
                if (mismatch != null) {
                    blocked.put(cellKey, mismatch);
                    progress.note("cell " + cellKey + " blocked: the server serves another quant (" + mismatch + ")");
                    closeOpenProvider();
                    continue;
                }
                if (previousCell != null && !config.thermalGate().cooldownBetweenCells().isZero()) {
                    pause(config.thermalGate().cooldownBetweenCells());
                }
                previousCell = cell.quant();
                int restarts = 0;
                String died = null;
                for (PlannedRun run : cell.runs()) {
                    RunLedger ledger = ledgers.get(run.phase());
                    if (ledger.contains(run.runId())) {
                        continue;
                    }
                    CellProvider current = providerFor(cell);
                    if (!current.alive()) {
                        String tail = current.outputTail();
                        if (restarts >= maxRestarts()) {
                            died = "server died and was restarted " + restarts + " times (max_restarts "
                                    + maxRestarts() + ")" + (tail.isBlank() ? "" : "; output tail:\n" + lastChars(tail));
                            break;
                        }
                        restarts++;
                        progress.note("cell " + cellKey + ": its server died; starting it again (restart " + restarts
                                + " of " + maxRestarts() + ")");
                        closeOpenProvider();
                        try {
                            providerFor(cell);
                            mismatch = quantMismatch(cell);
                        } catch (RuntimeException e) {
                            died = "server died and failed to start again: " + e.getMessage();
                            break;
                        }
                        if (mismatch != null) {
                            died = mismatch;
                            break;
                        }
                    }
                    Map<HardwareFlag, String> flags = new EnumMap<>(HardwareFlag.class);
                    flags.putAll(cellFlags);
                    if (run.phase() == RunPhase.MEASURED) {
                        String unsettled = thermalGate(cell);
                        if (unsettled != null) {
                            // The gate paced the run; that the card never settled is advisory, never a verdict.
                            flags.put(HardwareFlag.THERMAL_NOT_SETTLED, unsettled);
                        }
                    }
                    execute(sweepId, run, cell, ledger, flags, counter, baselineFrom(ledgers, run, cell.baseline()));
                }
                if (died != null) {
                    blocked.put(cellKey, died);
                    progress.note("cell " + cellKey + " blocked: " + died);
                    closeOpenProvider();
                    continue;
                }
                unload(cell);
            }
            writeJson("blocked_cells.json", SweepArtifacts.blockedJson(sweepId, config, blocked));
            return new SweepOutcome(sweepId, outputDir, SweepOutcome.Status.COMPLETED, canary, counter.done, resumed,
                    blocked, torn);
        } finally {
            closeOpenProvider();
            for (RunLedger ledger : ledgers.values()) {
                ledger.close();
            }
        }
    }

    private static final class Counter {
        int done;
        int remaining;

        Counter(int remaining) {
            this.remaining = remaining;
        }
    }

    private void execute(String sweepId, PlannedRun run, SweepCell cell, RunLedger ledger,
            Map<HardwareFlag, String> flags, Counter counter, @Nullable String baselineOutput) {
        if (ledger.contains(run.runId())) {
            return;
        }
        RunRequest request = RunRequest.builder(run.runId(), run.serverModel(), run.session().prompt())
                .sweepId(sweepId)
                .sessionId(run.session().id())
                .quantTag(run.quant())
                .modelFamily(run.model())
                .promptStyle(run.session().style())
                .stream(config.stream())
                .maxOutputTokens(run.session().maxOutputTokens())
                .seed(config.controls().seed())
                .temperature(config.controls().temperature())
                .contextSize(config.contextSize())
                .threads(config.controls().threads())
                .expectColdPromptCache(run.phase() != RunPhase.WARMUP)
                .warmup(run.phase() == RunPhase.WARMUP)
                .executionLane(config.executionLane())
                .vramProfile(config.vramProfile())
                .timeout(config.timeout())
                .idleTimeout(config.idleTimeout())
                .build();
        RunExecutor executor = RunExecutor.builder()
                .clock(clock)
                .wallClock(wallClock)
                .policy(policy)
                .listener(listener)
                .sidecar(sidecarFor.apply(cell))
                .measuredGpuIndex(config.sidecar() == null ? null : config.sidecar().gpuIndex())
                .hostSampler(hostSampler)
                .serverProcessFinder(finder)
                .serverIdentity(identities.getOrDefault(cell, ServerIdentity.unknown()))
                .build();
        CellProvider cellProvider = providerFor(cell);
        RunResult result = executor.execute(cellProvider.provider(), request, cellProvider.measuredServer(), flags);
        // The baseline quant, and the first canary run, are their own baseline: agreement with themselves.
        boolean ownBaseline = baselineOutput == null && (run.phase() == RunPhase.CANARY || cell.baseline());
        Double score = result.telemetry().completed()
                ? scorer.score(run.session(), result.outputText(), ownBaseline ? result.outputText() : baselineOutput)
                : null;
        ServerIdentity known = identities.get(cell);
        if (known != null && known.contextSize() == null && result.telemetry().completed()) {
            // Ollama names the context it runs a model with only once the model is loaded: ask again after a run.
            identify(cell);
        }
        LedgerEntry entry = new LedgerEntry(result.telemetry(), run.session().scorer(), score,
                sha256(result.outputText()), result.outputText());
        writeSamples(run, result.gpuSamples());
        ledger.append(entry);
        counter.done++;
        counter.remaining--;
        progress.runFinished(run, entry, counter.done, counter.remaining);
    }

    /**
     * The output a run is scored against: the model's highest-precision quant's output for the same
     * session and repetition (for canary runs, the first canary run's output: a determinism check).
     */
    private @Nullable String baselineFrom(Map<RunPhase, RunLedger> ledgers, PlannedRun run, boolean baselineCell) {
        if (run.phase() == RunPhase.CANARY) {
            List<LedgerEntry> canary = ledgers.get(RunPhase.CANARY).entries();
            return canary.isEmpty() ? null : canary.get(0).outputText();
        }
        if (baselineCell) {
            return null;
        }
        String baselineSession = run.model() + "/" + baselineQuantByModel.get(run.model()) + "/" + run.session().id() + "/";
        String wanted = baselineSession + "r" + run.repetition();
        String fallback = null;
        for (LedgerEntry entry : ledgers.get(RunPhase.MEASURED).entries()) {
            if (!entry.telemetry().completed()) {
                continue;
            }
            if (entry.runId().equals(wanted)) {
                return entry.outputText();
            }
            if (fallback == null && entry.runId().startsWith(baselineSession)) {
                fallback = entry.outputText();
            }
        }
        return fallback;
    }

    private int maxRestarts() {
        return config.managedServer() == null ? 0 : config.managedServer().maxRestarts();
    }

    private static String lastChars(String text) {
        return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
    }

    /**
     * Reads what the cell's server serves (once per server start), records it in the manifest, and says why the cell must not run:
     * {@code quant_mismatch:<configured>!=<served>} when the server serves another quant than the cell's, null when
     * it serves the cell's quant or cannot say (then runs record {@code quant_tag_verified: null}).
     */
    private @Nullable String quantMismatch(SweepCell cell) {
        ServerIdentity known = identities.get(cell);
        ServerIdentity identity = known != null ? known : identify(cell);
        if (Boolean.FALSE.equals(identity.quantTagVerified(cell.quant()))) {
            return "quant_mismatch:" + cell.quant() + "!=" + identity.servedQuantTag();
        }
        return null;
    }

    private ServerIdentity identify(SweepCell cell) {
        ServerIdentity identity;
        try {
            identity = providerFor(cell).provider().serverIdentity(cell.serverModel());
        } catch (RuntimeException e) {
            // The SPI says serverIdentity never throws; a provider that does still only loses its identity.
            LOG.warn("provider could not say what it serves for {}: {}", cell.serverModel(), e.toString());
            identity = ServerIdentity.unknown();
        }
        if (!identity.equals(identities.put(cell, identity))) {
            recordIdentity(cell, identity);
        }
        return identity;
    }

    private void recordIdentity(SweepCell cell, ServerIdentity identity) {
        Path manifest = outputDir.resolve("sweep_manifest.json");
        try {
            String updated = SweepArtifacts.withCellIdentity(Files.readString(manifest), cell, identity);
            ArtifactFiles.writeAtomically(manifest, updated + "\n");
        } catch (IOException | UncheckedIOException e) {
            // The identity is on every run's record too; the manifest's copy is a summary.
            LOG.warn("cannot record the server identity of {} in {}: {}", cell, manifest, e.toString());
        }
    }

    /** The cell's provider, opening it (and closing the previous cell's) when the cell changes. */
    private CellProvider providerFor(SweepCell cell) {
        if (open != null && cell.equals(openCell)) {
            return open;
        }
        closeOpenProvider();
        // A new server for the cell (its first, or a restart after it died) says again what it serves.
        identities.remove(cell);
        open = opener.open(cell);
        openCell = cell;
        recordServerProcesses(cell, open.measuredServer());
        return open;
    }

    /**
     * Resolves a cell's server processes and records them in the manifest: the first cell of a shared server,
     * and every cell of a server started per cell (whose processes are new each time).
     */
    private void recordServerProcesses(SweepCell cell, MeasuredServer server) {
        boolean perCell = sharedOpener == null;
        if (!perCell && sharedResolved) {
            return;
        }
        sharedResolved = true;
        List<ServerProcess> found;
        try {
            found = finder.resolve(server.processes());
        } catch (RuntimeException e) {
            LOG.warn("could not resolve the server's processes: {}", e.toString());
            found = List.of();
        }
        String where = perCell ? cell.model() + "/" + cell.quant() : null;
        if (found.isEmpty()) {
            progress.note("no process of the measured server found" + (where == null ? "" : " for " + where)
                    + (server.processes().isEmpty() ? " (none known: set server_process_names)" : "")
                    + "; every GPU process and all CPU use beyond Orket's counts as foreign");
        }
        for (ServerProcess process : found) {
            resolvedServerProcesses.add(new SweepArtifacts.ResolvedServerProcess(where, process));
        }
        writeManifest();
    }

    private void closeOpenProvider() {
        if (open != null) {
            try {
                open.close();
            } catch (RuntimeException e) {
                LOG.warn("could not close the provider of {}: {}", openCell, e.toString());
            }
            open = null;
            openCell = null;
        }
    }

    /** Frees the cell's model before the next quant loads; a failure only costs a note. */
    private void unload(SweepCell cell) {
        try {
            providerFor(cell).provider().unloadModel(cell.serverModel());
        } catch (RuntimeException e) {
            LOG.warn("could not unload {}: {}", cell.serverModel(), e.toString());
            progress.note("could not unload " + cell.serverModel() + ": " + e.getMessage());
        }
    }

    private @Nullable Long cardVramMib(SweepCell firstCell) {
        if (config.preflight().mode() == PreflightMode.OFF) {
            return null;
        }
        if (config.preflight().cardVramMib() != null) {
            return config.preflight().cardVramMib();
        }
        GpuSidecar sidecar = sidecarFor.apply(firstCell);
        if (sidecar == null) {
            return null;
        }
        GpuSample sample = measuredSample(sampleSafely(sidecar));
        return sample == null ? null : sample.vramTotalMib();
    }

    /** The sample of the measured GPU (the configured index, else the first GPU), or null when there is none. */
    private @Nullable GpuSample measuredSample(SidecarReading reading) {
        Integer wanted = config.sidecar() == null ? null : config.sidecar().gpuIndex();
        for (GpuSample sample : reading.samples()) {
            if (wanted == null || wanted.equals(sample.gpuIndex())) {
                return sample;
            }
        }
        return null;
    }

    /** Null when the cell may run (flags filled in for extended mode), else the reason it is blocked. */
    private @Nullable String preflight(SweepCell cell, @Nullable Long cardVram, Map<HardwareFlag, String> flags) {
        PreflightMode mode = config.preflight().mode();
        if (mode == PreflightMode.OFF) {
            return null;
        }
        Long estimate = config.preflight().estimatesMib().get(cell.quant());
        if (estimate == null || cardVram == null) {
            progress.note("VRAM pre-flight for " + cell.model() + "/" + cell.quant() + ": "
                    + (estimate == null ? "no estimate" : "card size unknown") + "; the cell runs unchecked");
            return null;
        }
        long cap = config.vramProfile().vramCapMib(cardVram);
        if (estimate <= cap) {
            return null;
        }
        String detail = "estimate " + estimate + " MiB > " + config.vramProfile().jsonName() + " cap " + cap
                + " MiB of " + cardVram + " MiB";
        if (mode == PreflightMode.STRICT) {
            return detail;
        }
        flags.put(HardwareFlag.VRAM_CAP_EXCEEDED, "pre-flight " + detail);
        return null;
    }

    /** Null when the GPU settled (or the gate is off), else the detail of why it did not. */
    private @Nullable String thermalGate(SweepCell cell) {
        ThermalGate gate = config.thermalGate();
        GpuSidecar sidecar = sidecarFor.apply(cell);
        if (!gate.enabled() || sidecar == null) {
            return null;
        }
        long deadline = clock.nanoTime() + gate.maxWait().toNanos();
        String last = "no GPU sample";
        while (true) {
            SidecarReading reading = sampleSafely(sidecar);
            String unsettled = unsettled(reading, gate.targetC());
            if (unsettled == null) {
                return null;
            }
            last = unsettled;
            if (clock.nanoTime() >= deadline) {
                return last + " after waiting " + gate.maxWait().toMillis() + " ms";
            }
            pause(gate.pollInterval());
        }
    }

    private @Nullable String unsettled(SidecarReading reading, double targetC) {
        GpuSample sample = measuredSample(reading);
        if (sample == null || sample.temperatureC() == null) {
            // Sidecar data tags runs; it never decides a gate alone, so no data is not a reason to wait.
            return null;
        }
        if (sample.temperatureC() >= targetC) {
            return "temperature " + sample.temperatureC() + " °C >= target " + targetC + " °C";
        }
        if (sample.throttleReasons() != null) {
            for (ThrottleReason reason : sample.throttleReasons()) {
                if (reason.isThermal()) {
                    return "thermal slowdown active: " + reason.jsonName();
                }
            }
        }
        return null;
    }

    private static SidecarReading sampleSafely(GpuSidecar sidecar) {
        try {
            return sidecar.sampleOnce();
        } catch (RuntimeException e) {
            LOG.warn("sidecar sample failed: {}", e.toString());
            return SidecarReading.notApplicable("sidecar_sample_failed");
        }
    }

    private void pause(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SweepInterruptedException("sweep interrupted while waiting " + duration.toMillis() + " ms");
        }
    }

    private void prepareOutputDir(String sweepId, SweepPlan plan) {
        OutputDirectory.claim(outputDir);
        try {
            Path manifest = outputDir.resolve("sweep_manifest.json");
            manifestSweepId = sweepId;
            if (Files.exists(manifest)) {
                String text = Files.readString(manifest);
                String existing = SweepArtifacts.configDigestOf(text);
                if (!configDigest.equals(existing)) {
                    throw new ConfigurationException("Output directory " + outputDir + " holds sweep with config digest "
                            + existing + " but this config's digest is " + configDigest
                            + "; resume with the same config or choose a new output directory.");
                }
                // A resumed sweep keeps the manifest's creation time and the server processes already recorded.
                manifestCreatedAt = SweepArtifacts.createdAtOf(text);
                resolvedServerProcesses.addAll(SweepArtifacts.serverProcessesOf(text));
                return;
            }
            manifestCreatedAt = wallClock.instant();
            writeManifest();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare output directory " + outputDir + ": " + IoCause.describe(e),
                    e);
        }
    }

    private void writeManifest() {
        Instant createdAt = manifestCreatedAt;
        String sweepId = manifestSweepId;
        if (createdAt == null || sweepId == null) {
            return;
        }
        writeJson("sweep_manifest.json", SweepArtifacts.manifestJson(sweepId, config, configDigest, plan, providerId,
                sidecarId, createdAt, resolvedServerProcesses));
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

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is required of every JVM", e);
        }
    }

    /** Configures a {@link SweepEngine}. */
    public static final class Builder {
        private @Nullable SweepConfig config;
        private @Nullable String configDigest;
        private @Nullable InferenceProvider provider;
        private CellProvider.@Nullable Opener opener;
        private @Nullable String providerId;
        private @Nullable GpuSidecar sidecar;
        private @Nullable Function<SweepCell, @Nullable GpuSidecar> sidecarFor;
        private @Nullable String sidecarId;
        private RecordingListener listener = RecordingListener.NONE;
        private @Nullable Path outputDir;
        private MonotonicClock clock = MonotonicClock.system();
        private Clock wallClock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private @Nullable OutputScorer scorer;
        private @Nullable Comparator<String> higherPrecisionFirst;
        private SweepProgress progress = SweepProgress.NONE;
        private RunPolicy policy = RunPolicy.DEFAULT;
        private Set<Long> serverProcessIds = Set.of();
        private @Nullable HostSampler hostSampler;
        private ServerProcessFinder finder = ServerProcessFinder.system();
        private @Nullable OutputLock outputLock;

        private Builder() {}

        /**
         * The output directory's lock, already held by the caller (e.g. to write the report under the same
         * lock); without it, {@link #run()} takes the lock itself.
         */
        public Builder outputLock(OutputLock value) {
            this.outputLock = value;
            return this;
        }

        public Builder config(SweepConfig value, String digest) {
            this.config = value;
            this.configDigest = digest;
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

        /** Observes every recorded event, e.g. a scripted server's lock-step on a virtual clock. */
        public Builder listener(RecordingListener value) {
            this.listener = value;
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

        public Builder scorer(OutputScorer value) {
            this.scorer = value;
            return this;
        }

        public Builder higherPrecisionFirst(Comparator<String> value) {
            this.higherPrecisionFirst = value;
            return this;
        }

        public Builder progress(SweepProgress value) {
            this.progress = value;
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

        public SweepEngine build() {
            return new SweepEngine(this);
        }
    }

}
