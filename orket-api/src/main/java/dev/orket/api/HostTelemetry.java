package dev.orket.api;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How busy the host was while a run was measured, and who made it busy: the measured server's processes,
 * Orket's own, or foreign ones. Percentages are of the host's whole CPU capacity (every core), in [0, 100];
 * absent values are null with the reasons in {@code unavailableReasons}, never zero.
 *
 * @param hostCpuPercent CPU busy over the run, every process counted
 * @param hostLoad1m the highest one-minute load average seen during the run
 * @param hostCoreCount online CPU cores
 * @param foreignCpuPercent CPU used by processes other than the measured server's and Orket's
 * @param serverCpuPercent CPU used by the measured server's process tree
 * @param orketCpuPercent CPU used by Orket's own process tree (the JVM and what it spawned, the server excepted)
 * @param sampleCount samples taken during the run
 * @param source where the figures came from: {@code proc} (Linux {@code /proc}), {@code os_mxbean}
 *     (the JVM's {@code OperatingSystemMXBean}), or {@code none}
 * @param unavailableReasons sorted reasons for absent figures, e.g. {@code host_sampling_disabled},
 *     {@code server_processes_unknown}
 * @param serverProcessIds every process id counted as the measured server's during the run, sorted
 * @param cpuResolutionPercent the share of the host's CPU over the run that one unit of the kernel's CPU
 *     accounting represents (one clock tick of {@code /proc}, 1/USER_HZ s of one core), or null when unknown: a
 *     figure is only known to within about this much, so a short run's shares are coarse
 * @since 0.1
 */
public record HostTelemetry(
        @Nullable Double hostCpuPercent,
        @Nullable Double hostLoad1m,
        @Nullable Integer hostCoreCount,
        @Nullable Double foreignCpuPercent,
        @Nullable Double serverCpuPercent,
        @Nullable Double orketCpuPercent,
        int sampleCount,
        String source,
        List<String> unavailableReasons,
        List<Long> serverProcessIds,
        @Nullable Double cpuResolutionPercent) {

    public HostTelemetry {
        requirePercent(hostCpuPercent, "hostCpuPercent");
        requirePercent(foreignCpuPercent, "foreignCpuPercent");
        requirePercent(serverCpuPercent, "serverCpuPercent");
        requirePercent(orketCpuPercent, "orketCpuPercent");
        if (hostLoad1m != null && !(hostLoad1m >= 0 && Double.isFinite(hostLoad1m))) {
            throw new IllegalArgumentException("hostLoad1m must be finite and >= 0 but was " + hostLoad1m);
        }
        if (hostCoreCount != null && hostCoreCount <= 0) {
            throw new IllegalArgumentException("hostCoreCount must be > 0 but was " + hostCoreCount);
        }
        if (sampleCount < 0) {
            throw new IllegalArgumentException("sampleCount must be >= 0 but was " + sampleCount);
        }
        Objects.requireNonNull(source, "source");
        unavailableReasons = unavailableReasons.stream().distinct().sorted().toList();
        serverProcessIds = serverProcessIds.stream().distinct().sorted().toList();
        if (cpuResolutionPercent != null && !(cpuResolutionPercent > 0 && Double.isFinite(cpuResolutionPercent))) {
            throw new IllegalArgumentException("cpuResolutionPercent must be finite and > 0 but was "
                    + cpuResolutionPercent);
        }
    }

    /** Host telemetry without a known accounting resolution. */
    public HostTelemetry(@Nullable Double hostCpuPercent, @Nullable Double hostLoad1m, @Nullable Integer hostCoreCount,
            @Nullable Double foreignCpuPercent, @Nullable Double serverCpuPercent, @Nullable Double orketCpuPercent,
            int sampleCount, String source, List<String> unavailableReasons, List<Long> serverProcessIds) {
        this(hostCpuPercent, hostLoad1m, hostCoreCount, foreignCpuPercent, serverCpuPercent, orketCpuPercent,
                sampleCount, source, unavailableReasons, serverProcessIds, null);
    }

    /** A run measured without host sampling, with the reason (e.g. {@code host_sampling_disabled}). */
    public static HostTelemetry notSampled(String reason) {
        return new HostTelemetry(null, null, null, null, null, null, 0, "none", List.of(reason), List.of());
    }

    private static void requirePercent(@Nullable Double value, String name) {
        if (value != null && !(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(name + " must be in [0, 100] but was " + value);
        }
    }
}
