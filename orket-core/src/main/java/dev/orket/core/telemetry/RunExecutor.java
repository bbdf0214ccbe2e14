package dev.orket.core.telemetry;

import dev.orket.api.Capability;
import dev.orket.api.ControlApplication;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.FailureKind;
import dev.orket.api.HardwareFlag;
import dev.orket.api.HardwareFlags;
import dev.orket.api.HostTelemetry;
import dev.orket.api.MonotonicClock;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunRequest;
import dev.orket.api.ServerIdentity;
import dev.orket.api.SidecarReading;
import dev.orket.api.spi.GpuSidecar;
import dev.orket.api.spi.IllegalTransitionException;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.SidecarSession;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.host.HostSampler;
import dev.orket.core.host.MeasuredServer;
import dev.orket.core.host.ServerProcessFinder;
import dev.orket.core.policy.RunPolicy;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes runs on a provider and returns one telemetry record per run, on every path: a provider
 * failure is data in the record, a provider that throws or stops early is recorded as
 * {@code PROVIDER_ERROR}, and a provider that breaks the state machine fails loudly with
 * {@link IllegalTransitionException}.
 *
 * @since 0.1
 */
public final class RunExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(RunExecutor.class);

    private final MonotonicClock clock;
    private final Clock wallClock;
    private final RunPolicy policy;
    private final RecordingListener listener;
    private final @Nullable GpuSidecar sidecar;
    private final @Nullable Integer measuredGpuIndex;
    private final @Nullable HostSampler hostSampler;
    private final ServerProcessFinder finder;
    private final ServerIdentity serverIdentity;

    private RunExecutor(Builder builder) {
        this.clock = builder.clock;
        this.wallClock = builder.wallClock;
        this.policy = builder.policy;
        this.listener = builder.listener;
        this.sidecar = builder.sidecar;
        this.measuredGpuIndex = builder.measuredGpuIndex;
        this.hostSampler = builder.hostSampler;
        this.finder = builder.finder;
        this.serverIdentity = builder.serverIdentity;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Executes one run knowing nothing of the server's processes (every GPU process counts as foreign). */
    public RunResult execute(InferenceProvider provider, RunRequest request) {
        return execute(provider, request, MeasuredServer.UNKNOWN, Map.of());
    }

    /**
     * Executes one run.
     *
     * @param provider the provider to run on
     * @param request the run
     * @param serverProcessIds processes of the measured server (with their descendants), never foreign
     */
    public RunResult execute(InferenceProvider provider, RunRequest request, Set<Long> serverProcessIds) {
        return execute(provider, request, MeasuredServer.ofPids(serverProcessIds), Map.of());
    }

    /**
     * Executes one run with what is known of its server and with hardware flags known before it started (a
     * thermal gate that never settled, a VRAM pre-flight over the cap). The host is sampled during the run
     * (by default in the {@code lab} lane only), the GPU sidecar if there is one, and the controls the
     * provider declares are merged with those applied at the server's start.
     *
     * @param provider the provider to run on
     * @param request the run
     * @param server the measured server's processes and start-time controls
     * @param preRunHardwareFlags advisory flags with details that apply to the whole run
     */
    public RunResult execute(InferenceProvider provider, RunRequest request, MeasuredServer server,
            Map<HardwareFlag, String> preRunHardwareFlags) {
        return execute(provider, request, server, preRunHardwareFlags, new RunCancellation());
    }

    /**
     * Executes one run that the caller may cancel from another thread with {@link RunCancellation#cancel}: the run
     * then ends {@code CANCELLED}, with the reason as its failure message and its full record.
     *
     * @param provider the provider to run on
     * @param request the run
     * @param server the measured server's processes and start-time controls
     * @param preRunHardwareFlags advisory flags with details that apply to the whole run
     * @param cancellation the caller's handle to cancel this run; one per run
     * @since 0.2
     */
    public RunResult execute(InferenceProvider provider, RunRequest request, MeasuredServer server,
            Map<HardwareFlag, String> preRunHardwareFlags, RunCancellation cancellation) {
        Objects.requireNonNull(cancellation, "cancellation");
        HostSampler.Session host = startHost(request, server);
        SidecarSession session = startSidecar();
        TelemetryRecorder recorder = new TelemetryRecorder(request, provider.id(), clock, wallClock.instant(), listener,
                cancellation);
        SidecarReading reading;
        HostTelemetry hostTelemetry;
        cancellation.bind(Thread.currentThread());
        try {
            String cancelledBefore = cancellation.reason();
            if (cancelledBefore != null) {
                recorder.record(new WireEvent.Cancelled(cancelledBefore));
            } else {
                runOnProvider(provider, request, recorder);
            }
        } finally {
            if (cancellation.unbind()) {
                // The cancellation interrupted this thread because the provider registered no action: that
                // interrupt was ours, and it is consumed here so that the caller's next run is not cancelled.
                Thread.interrupted();
            }
            reading = stopSidecar(session);
            hostTelemetry = stopHost(host);
        }
        SidecarVerdict verdict;
        if (reading == null) {
            verdict = SidecarVerdict.notApplicable("sidecar_disabled");
        } else {
            // The server's tree as the host sampler followed it through the run, and as it stands now.
            Set<Long> serverPids = new TreeSet<>(hostTelemetry.serverProcessIds());
            serverPids.addAll(serverPids(server));
            verdict = SidecarVerdict.of(reading, measuredGpuIndex, request.vramProfile(), serverPids);
        }
        Map<HardwareFlag, String> hardware = new EnumMap<>(HardwareFlag.class);
        hardware.putAll(verdict.hardwareFlags());
        preRunHardwareFlags.forEach(hardware::putIfAbsent);
        Map<ExperimentalControl, ControlApplication> controls = new EnumMap<>(ExperimentalControl.class);
        controls.putAll(declaredControls(provider, request));
        // What was applied when the server started is known better than what the provider can pass per request.
        controls.putAll(server.controls());
        RunContext context = new RunContext(verdict.summary(), HardwareFlags.of(hardware), hostTelemetry, controls,
                afterRun(provider, request, recorder), serverIdentity.contextSize());
        var telemetry = TelemetryCalculator.compute(recorder.observation(), context, policy).withServer(serverIdentity);
        LOG.debug("run {} ended {}", request.runId(), telemetry.outcome().terminalState());
        return new RunResult(telemetry, recorder.outputText(), reading == null ? List.of() : reading.samples());
    }

    private Set<Long> serverPids(MeasuredServer server) {
        try {
            return finder.pids(server.processes());
        } catch (RuntimeException e) {
            LOG.debug("server processes not resolved: {}", e.toString());
            return server.processes().rootPids();
        }
    }

    private HostSampler.@Nullable Session startHost(RunRequest request, MeasuredServer server) {
        HostSampler sampler = hostSampler != null ? hostSampler : HostSampler.byLane(request.executionLane());
        try {
            return sampler.start(server.processes());
        } catch (RuntimeException e) {
            // Host telemetry tags runs; failing to sample never fails one.
            LOG.warn("host sampling failed to start: {}", e.toString());
            return null;
        }
    }

    private static HostTelemetry stopHost(HostSampler.@Nullable Session session) {
        if (session == null) {
            return HostTelemetry.notSampled("host_sampling_failed");
        }
        try {
            return session.stop();
        } catch (RuntimeException e) {
            LOG.warn("host sampling failed to stop: {}", e.toString());
            return HostTelemetry.notSampled("host_sampling_failed");
        }
    }

    private static Map<ExperimentalControl, ControlApplication> declaredControls(InferenceProvider provider,
            RunRequest request) {
        try {
            return provider.controlsFor(request);
        } catch (RuntimeException e) {
            LOG.warn("provider '{}' could not declare its controls: {}", provider.id(), e.toString());
            Map<ExperimentalControl, ControlApplication> none = new EnumMap<>(ExperimentalControl.class);
            for (ExperimentalControl control : ExperimentalControl.values()) {
                none.put(control, ControlApplication.notApplicable("provider could not declare: " + e));
            }
            return none;
        }
    }

    private static void runOnProvider(InferenceProvider provider, RunRequest request, TelemetryRecorder recorder) {
        Capability mode = request.stream() ? Capability.STREAMING : Capability.NON_STREAMING;
        if (!provider.capabilities().contains(mode)) {
            recorder.record(new WireEvent.Failed(FailureKind.UNSUPPORTED_CAPABILITY,
                    "provider '" + provider.id() + "' does not support " + mode.jsonName(), null));
            return;
        }
        try {
            provider.execute(request, recorder);
        } catch (IllegalTransitionException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("provider '{}' threw during run {}: {}", provider.id(), request.runId(), e.toString());
            if (!recorder.state().isTerminal()) {
                recorder.record(new WireEvent.Failed(FailureKind.PROVIDER_ERROR,
                        "provider threw " + e.getClass().getName() + ": " + e.getMessage(), null));
            }
        }
        if (!recorder.state().isTerminal()) {
            recorder.record(new WireEvent.Failed(FailureKind.PROVIDER_ERROR,
                    "provider returned in state " + recorder.state() + " without a terminal event", null));
        }
    }

    private static Map<RunQualityReason, String> afterRun(InferenceProvider provider, RunRequest request,
            TelemetryRecorder recorder) {
        if (recorder.state() != RunState.COMPLETED) {
            return Map.of();
        }
        try {
            return provider.qualityAfterRun(request);
        } catch (RuntimeException e) {
            // What the server says after a run only tags it; failing to ask never fails the run.
            LOG.warn("provider '{}' could not report quality after run {}: {}", provider.id(), request.runId(),
                    e.toString());
            return Map.of();
        }
    }

    private @Nullable SidecarSession startSidecar() {
        if (sidecar == null) {
            return null;
        }
        try {
            return sidecar.start(clock);
        } catch (RuntimeException e) {
            // A broken sidecar never fails a run.
            LOG.warn("sidecar '{}' failed to start: {}", sidecar.id(), e.toString());
            return () -> SidecarReading.notApplicable("sidecar_start_failed");
        }
    }

    private @Nullable SidecarReading stopSidecar(@Nullable SidecarSession session) {
        if (session == null) {
            return null;
        }
        try {
            return session.stop();
        } catch (RuntimeException e) {
            LOG.warn("sidecar failed to stop: {}", e.toString());
            return SidecarReading.notApplicable("sidecar_stop_failed");
        }
    }

    /**
     * Configures a {@link RunExecutor}; defaults: system clocks, {@link RunPolicy#DEFAULT}, no sidecar, host
     * sampled by lane ({@link HostSampler#byLane}).
     */
    public static final class Builder {
        private MonotonicClock clock = MonotonicClock.system();
        private Clock wallClock = Clock.systemUTC();
        private RunPolicy policy = RunPolicy.DEFAULT;
        private RecordingListener listener = RecordingListener.NONE;
        private @Nullable GpuSidecar sidecar;
        private @Nullable Integer measuredGpuIndex;
        private @Nullable HostSampler hostSampler;
        private ServerProcessFinder finder = ServerProcessFinder.system();
        private ServerIdentity serverIdentity = ServerIdentity.unknown();

        private Builder() {}

        public Builder clock(MonotonicClock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder wallClock(Clock value) {
            this.wallClock = Objects.requireNonNull(value, "wallClock");
            return this;
        }

        public Builder policy(RunPolicy value) {
            this.policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        public Builder listener(RecordingListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        public Builder sidecar(@Nullable GpuSidecar value) {
            this.sidecar = value;
            return this;
        }

        public Builder measuredGpuIndex(@Nullable Integer value) {
            this.measuredGpuIndex = value;
            return this;
        }

        /** Samples the host with this sampler for every run, whatever its lane (default: by lane). */
        public Builder hostSampler(@Nullable HostSampler value) {
            this.hostSampler = value;
            return this;
        }

        /** Finds the measured server's processes (default: the running system's). */
        public Builder serverProcessFinder(ServerProcessFinder value) {
            this.finder = Objects.requireNonNull(value, "serverProcessFinder");
            return this;
        }

        /**
         * What the server said it serves ({@link InferenceProvider#serverIdentity}), recorded on every run with
         * whether the served quant is the run's configured one; unknown by default.
         */
        public Builder serverIdentity(ServerIdentity value) {
            this.serverIdentity = Objects.requireNonNull(value, "serverIdentity");
            return this;
        }

        public RunExecutor build() {
            return new RunExecutor(this);
        }
    }

}
