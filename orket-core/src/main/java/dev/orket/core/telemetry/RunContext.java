package dev.orket.core.telemetry;

import dev.orket.api.ControlApplication;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.HardwareFlags;
import dev.orket.api.HostTelemetry;
import dev.orket.api.RunQualityReason;
import dev.orket.api.SidecarSummary;
import java.util.Map;
import java.util.Objects;

/**
 * What surrounded a run, besides the wire: the GPU sidecar's summary and the advisory hardware flags, the
 * host's contention, what happened to the experimental controls, and quality reasons known from outside
 * the recorder (the server's API after the run).
 *
 * @param sidecar the GPU sidecar's summary
 * @param hardwareFlags what the sidecar and the GPU gates saw (advisory)
 * @param host how busy the host was and who made it busy
 * @param controls what happened to each experimental control, before the recorder checks it against the server
 * @param qualityFlags quality reasons with details from outside the recorder
 * @param serverContextSize the context size the server says it uses (its identity, e.g. llama-server's
 *     {@code /props}), where the run itself did not report one; null when unknown
 * @since 0.1
 */
public record RunContext(SidecarSummary sidecar, HardwareFlags hardwareFlags, HostTelemetry host,
        Map<ExperimentalControl, ControlApplication> controls, Map<RunQualityReason, String> qualityFlags,
        @org.jspecify.annotations.Nullable Integer serverContextSize) {

    public RunContext {
        Objects.requireNonNull(sidecar, "sidecar");
        Objects.requireNonNull(hardwareFlags, "hardwareFlags");
        Objects.requireNonNull(host, "host");
        controls = Map.copyOf(controls);
        qualityFlags = Map.copyOf(qualityFlags);
    }

    /** A run with a sidecar summary and quality flags only: no hardware flag, no host sampling, controls unrecorded. */
    public static RunContext of(SidecarSummary sidecar, Map<RunQualityReason, String> qualityFlags) {
        return new RunContext(sidecar, HardwareFlags.NONE, HostTelemetry.notSampled("host_sampling_disabled"),
                Map.of(), qualityFlags, null);
    }
}
