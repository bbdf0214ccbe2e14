package dev.orket.core.host;

import dev.orket.api.HostTelemetry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples Linux's {@code /proc}: {@code stat} and {@code loadavg} for the host, {@code PID/stat} for the
 * measured server's tree and Orket's own. The server's roots are resolved at the start and again at the
 * end; their descendants at every sample, so children born during the run are counted.
 */
final class ProcHostSampler implements HostSampler {

    private static final Logger LOG = LoggerFactory.getLogger(ProcHostSampler.class);

    private final ProcFs proc;
    private final ServerProcessFinder finder;
    private final long self;
    private final Duration interval;

    ProcHostSampler(ProcFs proc, ServerProcessFinder finder, long self, Duration interval) {
        this.proc = proc;
        this.finder = finder;
        this.self = self;
        this.interval = interval;
    }

    @Override
    public Session start(ServerProcessRule server) {
        return new ProcSession(server, finder.pids(server)).begin();
    }

    private final class ProcSession extends SamplingSession {
        private final ServerProcessRule rule;
        private volatile Set<Long> roots;

        ProcSession(ServerProcessRule rule, Set<Long> roots) {
            super(interval, rule, roots);
            this.rule = rule;
            this.roots = roots;
        }

        @Override
        synchronized void sample() {
            try {
                ProcFs.CpuTimes cpu = proc.cpuTimes();
                if (cpu == null) {
                    return;
                }
                // One scan of /proc per sample for both trees: the sampler must cost the host as little as it can.
                Map<Long, Long> parents = proc.parents();
                Set<Long> server = ProcFs.withDescendants(roots, parents);
                server.remove(self);
                Set<Long> orket = ProcFs.withDescendants(List.of(self), parents);
                orket.removeAll(server);
                samples.add(new HostSnapshot(cpu.busyTicks(), cpu.totalTicks(), cpu.cores(), proc.load1m(),
                        ticks(server), ticks(orket)));
            } catch (RuntimeException e) {
                // A sample that cannot be read is skipped; host telemetry never fails a run.
                LOG.debug("host sample failed: {}", e.toString());
            }
        }

        private Map<Long, Long> ticks(Set<Long> pids) {
            Map<Long, Long> out = new HashMap<>();
            for (long pid : pids) {
                Long value = proc.processCpuTicks(pid);
                if (value != null) {
                    out.put(pid, value);
                }
            }
            return out;
        }

        @Override
        public HostTelemetry stop() {
            halt();
            // Roots found again at the end: a server that opened its port late is still the server's.
            Set<Long> again = new java.util.TreeSet<>(roots);
            again.addAll(finder.pids(rule));
            roots = again;
            sample();
            synchronized (this) {
                if (!again.isEmpty()) {
                    reasons.remove("server_processes_not_found");
                }
                return HostContention.summarize(samples, "proc", reasons);
            }
        }
    }
}
