package dev.orket.core.host;

import dev.orket.api.HostTelemetry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Turns the host samples of one run into its {@link HostTelemetry}: a pure function (formulas in
 * {@code docs/telemetry.md}, host telemetry).
 *
 * <pre>
 * host_cpu_percent    = Δbusy / Δtotal × 100
 * server_cpu_percent  = Σ over server processes (last seen CPU − CPU at the first sample, or 0 when born later) / Δtotal × 100
 * orket_cpu_percent   = the same over Orket's own processes
 * foreign_cpu_percent = max(0, Δbusy − server − orket) / Δtotal × 100
 * host_load_1m        = the highest one-minute load average sampled
 * cpu_resolution_percent = 100 / Δtotal (one clock tick of the run's capacity; /proc only)
 * </pre>
 *
 * A process that was the server's in any sample counts as the server's for the whole run (its tree is
 * followed: children born during the run count as they appear).
 *
 * @since 0.1
 */
public final class HostContention {

    private HostContention() {}

    /**
     * The telemetry of a run's samples.
     *
     * @param samples the samples in order; the first is taken before the request is sent, the last after the
     *     run ended
     * @param source {@code proc} or {@code os_mxbean}
     * @param reasons reasons already known for absent figures (e.g. {@code server_processes_unknown})
     */
    public static HostTelemetry summarize(List<HostSnapshot> samples, String source, List<String> reasons) {
        List<String> why = new ArrayList<>(reasons);
        Set<Long> serverPids = new TreeSet<>();
        for (HostSnapshot sample : samples) {
            serverPids.addAll(sample.serverCpu().keySet());
        }
        if (samples.size() < 2) {
            why.add("too_few_host_samples");
            return new HostTelemetry(null, samples.isEmpty() ? null : samples.get(0).load1m(),
                    samples.isEmpty() ? null : samples.get(0).cores(), null, null, null, samples.size(), source, why,
                    List.copyOf(serverPids));
        }
        HostSnapshot first = samples.get(0);
        HostSnapshot last = samples.get(samples.size() - 1);
        Double load = null;
        for (HostSnapshot sample : samples) {
            if (sample.load1m() != null && (load == null || sample.load1m() > load)) {
                load = sample.load1m();
            }
        }
        long total = last.total() - first.total();
        long busy = Math.max(0, last.busy() - first.busy());
        if (total <= 0) {
            why.add("run_shorter_than_cpu_accounting");
            return new HostTelemetry(null, load, last.cores(), null, null, null, samples.size(), source, why,
                    List.copyOf(serverPids));
        }
        busy = Math.min(busy, total);
        long server = Math.min(busy, consumed(samples, true));
        long orket = Math.min(busy - server, consumed(samples, false));
        long foreign = Math.max(0, busy - server - orket);
        // /proc counts whole clock ticks: each figure is known to within about one tick of the run's capacity.
        Double resolution = "proc".equals(source) ? 100.0 / total : null;
        return new HostTelemetry(percent(busy, total), load, last.cores(), percent(foreign, total),
                percent(server, total), percent(orket, total), samples.size(), source, why, List.copyOf(serverPids),
                resolution);
    }

    /** CPU consumed during the samples by the server's (or Orket's) processes. */
    private static long consumed(List<HostSnapshot> samples, boolean server) {
        Map<Long, Long> baseline = new HashMap<>(server ? samples.get(0).serverCpu() : samples.get(0).orketCpu());
        Map<Long, Long> lastSeen = new HashMap<>();
        for (HostSnapshot sample : samples) {
            Map<Long, Long> cpu = server ? sample.serverCpu() : sample.orketCpu();
            cpu.forEach((pid, value) -> {
                // A process first seen after the first sample was born during the run (or joined the tree then).
                baseline.putIfAbsent(pid, 0L);
                lastSeen.merge(pid, value, Math::max);
            });
        }
        long sum = 0;
        for (Map.Entry<Long, Long> entry : lastSeen.entrySet()) {
            Long start = baseline.get(entry.getKey());
            sum += Math.max(0, entry.getValue() - (start == null ? 0 : start));
        }
        return sum;
    }

    private static @Nullable Double percent(long part, long total) {
        double value = part * 100.0 / total;
        return Math.max(0.0, Math.min(100.0, value));
    }
}
