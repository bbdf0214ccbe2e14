package dev.orket.core.host;

import dev.orket.api.ExecutionLane;
import dev.orket.api.HostTelemetry;
import java.time.Duration;

/**
 * Samples the host while a run is measured: its CPU, its load, and the CPU of the measured server's
 * processes and of Orket's own, so that a noisy neighbour is seen and the server's own work is not
 * mistaken for one. A sampler never fails a run: what it cannot read is null with the reason.
 *
 * @since 0.1
 */
public interface HostSampler {

    /** How often a session samples between the samples taken at its start and stop. */
    Duration DEFAULT_INTERVAL = Duration.ofMillis(200);

    /**
     * Starts sampling; the first sample is taken before this returns (before the request is sent).
     *
     * @param server how to find the measured server's processes
     */
    Session start(ServerProcessRule server);

    /**
     * One run's sampling.
     *
     * @since 0.1
     */
    interface Session {

        /** Takes the last sample, stops sampling and returns the run's host telemetry; never throws. */
        HostTelemetry stop();
    }

    /**
     * The running system's sampler: {@code /proc} on Linux, the JVM's {@code OperatingSystemMXBean} and
     * process handles elsewhere.
     */
    static HostSampler system() {
        ProcFs proc = ProcFs.system();
        ServerProcessFinder finder = ServerProcessFinder.system();
        if (proc.available()) {
            return new ProcHostSampler(proc, finder, ProcessHandle.current().pid(), DEFAULT_INTERVAL);
        }
        return new MxBeanHostSampler(finder, DEFAULT_INTERVAL);
    }

    /** A sampler that samples nothing and says why (e.g. {@code host_sampling_disabled}). */
    static HostSampler disabled(String reason) {
        HostTelemetry none = HostTelemetry.notSampled(reason);
        return server -> () -> none;
    }

    /**
     * The system sampler for runs in the {@code lab} lane and none for the {@code ci} lane, whose runs are
     * hardware-free and deterministic by design (a busy build machine must not change their records).
     */
    static HostSampler byLane(ExecutionLane lane) {
        return lane == ExecutionLane.LAB ? system() : disabled("ci_lane");
    }
}
