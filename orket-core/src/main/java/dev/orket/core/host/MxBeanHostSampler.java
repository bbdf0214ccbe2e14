package dev.orket.core.host;

import dev.orket.api.HostTelemetry;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Samples a host without {@code /proc} through the JVM: the {@code OperatingSystemMXBean}'s recent host CPU
 * load and load average, and each process's total CPU time from its {@link ProcessHandle}. Counters are
 * nanoseconds: the host's busy time is the sampled load times the interval times the cores.
 */
final class MxBeanHostSampler implements HostSampler {

    private final ServerProcessFinder finder;
    private final Duration interval;

    MxBeanHostSampler(ServerProcessFinder finder, Duration interval) {
        this.finder = finder;
        this.interval = interval;
    }

    @Override
    public Session start(ServerProcessRule server) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.OperatingSystemMXBean)) {
            return () -> HostTelemetry.notSampled("host_cpu_unavailable");
        }
        return new MxSession((com.sun.management.OperatingSystemMXBean) os, server, finder.pids(server)).begin();
    }

    private final class MxSession extends SamplingSession {
        private final com.sun.management.OperatingSystemMXBean os;
        private final Set<Long> roots;
        private final int cores = Runtime.getRuntime().availableProcessors();
        private long lastNanos = System.nanoTime();
        private long busy;
        private long total;

        MxSession(com.sun.management.OperatingSystemMXBean os, ServerProcessRule rule, Set<Long> roots) {
            super(interval, rule, roots);
            this.os = os;
            this.roots = roots;
        }

        @Override
        synchronized void sample() {
            long now = System.nanoTime();
            double load = os.getCpuLoad();
            long elapsed = (now - lastNanos) * cores;
            lastNanos = now;
            if (load >= 0 && !samples.isEmpty()) {
                busy += (long) (load * elapsed);
            }
            total += samples.isEmpty() ? 0 : elapsed;
            Set<Long> server = ProcessTree.withDescendants(roots);
            long self = ProcessHandle.current().pid();
            server.remove(self);
            Set<Long> orket = ProcessTree.withDescendants(List.of(self));
            orket.removeAll(server);
            double average = os.getSystemLoadAverage();
            samples.add(new HostSnapshot(busy, total, cores, average < 0 ? null : average, cpu(server), cpu(orket)));
        }

        private Map<Long, Long> cpu(Set<Long> pids) {
            Map<Long, Long> out = new HashMap<>();
            for (long pid : pids) {
                @Nullable Long nanos = cpuNanos(pid);
                if (nanos != null) {
                    out.put(pid, nanos);
                }
            }
            return out;
        }

        private @Nullable Long cpuNanos(long pid) {
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isEmpty()) {
                return null;
            }
            Optional<Duration> cpu = handle.get().info().totalCpuDuration();
            return cpu.map(Duration::toNanos).orElse(null);
        }

        @Override
        public HostTelemetry stop() {
            halt();
            synchronized (this) {
                sample();
                return HostContention.summarize(samples, "os_mxbean", reasons);
            }
        }
    }
}
