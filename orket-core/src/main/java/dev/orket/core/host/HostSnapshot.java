package dev.orket.core.host;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One sample of the host: cumulative CPU counters of the whole host and of each process of the measured
 * server's and of Orket's own trees, in one unit ({@code /proc}: clock ticks; elsewhere: nanoseconds).
 *
 * @param busy cumulative busy CPU of the whole host
 * @param total cumulative busy plus idle CPU of the whole host (every core)
 * @param cores online cores
 * @param load1m the one-minute load average, or null when unknown
 * @param serverCpu cumulative CPU of each process counted as the measured server's
 * @param orketCpu cumulative CPU of each process of Orket's own tree (the JVM and what it spawned, the server
 *     excepted)
 * @since 0.1
 */
public record HostSnapshot(long busy, long total, int cores, @Nullable Double load1m, Map<Long, Long> serverCpu,
        Map<Long, Long> orketCpu) {

    public HostSnapshot {
        serverCpu = Map.copyOf(serverCpu);
        orketCpu = Map.copyOf(orketCpu);
        if (cores <= 0) {
            throw new IllegalArgumentException("cores must be > 0 but was " + cores);
        }
    }
}
