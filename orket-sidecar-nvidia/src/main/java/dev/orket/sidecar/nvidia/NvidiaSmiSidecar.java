package dev.orket.sidecar.nvidia;

import dev.orket.api.MonotonicClock;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import dev.orket.api.spi.GpuSidecar;
import dev.orket.api.spi.SidecarConfig;
import dev.orket.api.spi.SidecarSession;
import dev.orket.sidecar.nvidia.internal.ComputeAppsParser;
import dev.orket.sidecar.nvidia.internal.CsvGpuStream;
import dev.orket.sidecar.nvidia.internal.LoopSession;
import dev.orket.sidecar.nvidia.internal.NvidiaLimits;
import dev.orket.sidecar.nvidia.internal.Outcome;
import dev.orket.sidecar.nvidia.internal.SidecarSettings;
import dev.orket.sidecar.nvidia.internal.ToolMessages;
import dev.orket.sidecar.nvidia.internal.ToolRun;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Samples NVIDIA GPUs with {@code nvidia-smi --query-gpu … --format=csv,noheader,nounits}: one process
 * per {@link #sampleOnce()}, one long-lived {@code -lms} process per {@link #start session}.
 *
 * <p>Settings ({@link SidecarConfig#settings()}): {@code enabled} ({@code true}/{@code false}),
 * {@code gpu_index} (passed as {@code -i}), {@code query_fields} (comma-separated {@code --query-gpu}
 * list), {@code compute_apps} ({@code false} skips the process query at stop), {@code max_samples}.
 * A missing, failing or hanging tool gives a {@code NOT_APPLICABLE} reading, never an exception.
 *
 * @since 0.1
 */
public final class NvidiaSmiSidecar implements GpuSidecar {

    /** The code of a reading from a sidecar whose {@code enabled} setting is {@code false}. */
    public static final String DISABLED = "sidecar_disabled";

    private final SidecarConfig config;
    private final SidecarSettings settings;
    private final List<LoopSession> sessions = new ArrayList<>();
    private boolean closed;

    /**
     * A sidecar running {@code config.command()}; does no I/O.
     *
     * @throws dev.orket.api.ConfigurationException naming the setting when a setting is unknown or malformed
     */
    public NvidiaSmiSidecar(SidecarConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.settings = SidecarSettings.from(config.settings());
    }

    @Override
    public String id() {
        return NvidiaSmiSidecarFactory.ID;
    }

    /** The {@code --query-gpu} fields this sidecar asks for, never null. */
    public List<String> queryFields() {
        return settings.queryFields();
    }

    @Override
    public SidecarReading sampleOnce() {
        if (!settings.enabled()) {
            return SidecarReading.notApplicable(DISABLED);
        }
        ToolRun run = ToolRun.run(gpuCommand(false), config.deadline(), NvidiaLimits.MAX_ONCE_BYTES,
                NvidiaLimits.MAX_LINE_BYTES);
        if (run.startFailed()) {
            return SidecarReading.notApplicable(ToolMessages.UNAVAILABLE);
        }
        CsvGpuStream stream = new CsvGpuStream(settings.queryFields(), settings.maxSamples());
        run.lines().forEach(line -> stream.accept(line, 0L));
        return Outcome.finish(stream, run.exitCode(), run.timedOut(), run.truncated());
    }

    @Override
    public synchronized SidecarSession start(MonotonicClock clock) {
        Objects.requireNonNull(clock, "clock");
        if (closed) {
            throw new IllegalStateException("This nvidia-smi sidecar is closed; create a new one from the factory.");
        }
        if (!settings.enabled()) {
            return () -> SidecarReading.notApplicable(DISABLED);
        }
        LoopSession session = LoopSession.start(gpuCommand(true), settings.queryFields(), settings.maxSamples(),
                NvidiaLimits.MAX_LOOP_BYTES, config.deadline(), clock,
                settings.computeApps() ? this::withComputeApps : r -> r);
        sessions.add(session);
        return session;
    }

    @Override
    public void close() {
        List<LoopSession> open;
        synchronized (this) {
            closed = true;
            open = List.copyOf(sessions);
            sessions.clear();
        }
        open.forEach(LoopSession::stop);
    }

    /** Adds the processes of one bounded {@code --query-compute-apps} run; a failure there only adds a code. */
    private SidecarReading withComputeApps(SidecarReading reading) {
        List<String> command = new ArrayList<>(config.command());
        command.add("--query-compute-apps=" + String.join(",", ComputeAppsParser.QUERY));
        command.add("--format=csv,noheader,nounits");
        ToolRun run = ToolRun.run(command, config.deadline(), NvidiaLimits.MAX_ONCE_BYTES, NvidiaLimits.MAX_LINE_BYTES);
        if (run.startFailed() || run.timedOut() || run.exitCode() == null || run.exitCode() != 0) {
            // Unknown is not "none": the samples keep a null process list, and the reading says why.
            List<String> errors = new ArrayList<>(reading.parseErrors());
            errors.add("compute_apps_unavailable");
            SidecarParseStatus status = reading.parseStatus() == SidecarParseStatus.OK
                    ? SidecarParseStatus.OPTIONAL_FIELD_MISSING : reading.parseStatus();
            return new SidecarReading(reading.samples(), status, errors);
        }
        byte[] bytes = String.join("\n", run.lines()).getBytes(StandardCharsets.UTF_8);
        return NvidiaSmiParser.withComputeProcesses(reading, NvidiaSmiParser.parseComputeApps(bytes, ComputeAppsParser.QUERY));
    }

    private List<String> gpuCommand(boolean loop) {
        List<String> command = new ArrayList<>(config.command());
        command.add("--query-gpu=" + String.join(",", settings.queryFields()));
        command.add("--format=csv,noheader,nounits");
        String selector = settings.gpuSelector();
        if (selector != null) {
            command.add("-i");
            command.add(selector);
        }
        if (loop) {
            command.add("-lms");
            command.add(Long.toString(Math.max(1L, config.sampleInterval().toMillis())));
        }
        return command;
    }
}
