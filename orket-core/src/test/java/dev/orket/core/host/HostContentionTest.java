package dev.orket.core.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.HostTelemetry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who made the host busy during a run: exact figures from samples, and the /proc sampler over real files. */
@DisplayName("Host contention")
class HostContentionTest {

    @Test
    @DisplayName("attributes the run's CPU to the server, Orket and foreign processes, exactly")
    void attribution() {
        // 2 cores, 200 ticks of capacity over the run: 180 busy, of which the server 120, Orket 10, foreign 50.
        HostSnapshot first = new HostSnapshot(1000, 5000, 2, 0.5, Map.of(10L, 300L), Map.of(1L, 40L));
        HostSnapshot middle = new HostSnapshot(1090, 5100, 2, 1.8, Map.of(10L, 350L, 11L, 20L), Map.of(1L, 45L));
        HostSnapshot last = new HostSnapshot(1180, 5200, 2, 1.5, Map.of(10L, 390L), Map.of(1L, 50L));

        HostTelemetry host = HostContention.summarize(List.of(first, middle, last), "proc", List.of());

        assertThat(host.hostCpuPercent()).isEqualTo(90.0);
        // Process 11 was born during the run and gone by its end: its 20 ticks are the server's.
        assertThat(host.serverCpuPercent()).isEqualTo(55.0);
        assertThat(host.orketCpuPercent()).isEqualTo(5.0);
        assertThat(host.foreignCpuPercent()).isEqualTo(30.0);
        assertThat(host.hostLoad1m()).isEqualTo(1.8);
        assertThat(host.hostCoreCount()).isEqualTo(2);
        assertThat(host.sampleCount()).isEqualTo(3);
        assertThat(host.serverProcessIds()).containsExactly(10L, 11L);
        assertThat(host.cpuResolutionPercent()).as("one tick of 200").isEqualTo(0.5);
    }

    @Test
    @DisplayName("too few samples, or a run shorter than the CPU accounting, leave the figures absent with the reason")
    void absentWithReason() {
        HostSnapshot only = new HostSnapshot(1000, 5000, 4, 0.25, Map.of(), Map.of());

        HostTelemetry one = HostContention.summarize(List.of(only), "proc", List.of("server_processes_unknown"));
        assertThat(one.hostCpuPercent()).isNull();
        assertThat(one.foreignCpuPercent()).isNull();
        assertThat(one.unavailableReasons()).containsExactly("server_processes_unknown", "too_few_host_samples");

        HostTelemetry instant = HostContention.summarize(List.of(only, only), "proc", List.of());
        assertThat(instant.hostCpuPercent()).isNull();
        assertThat(instant.hostLoad1m()).isEqualTo(0.25);
        assertThat(instant.unavailableReasons()).containsExactly("run_shorter_than_cpu_accounting");
    }

    @Property
    @Label("every share is in [0, 100] and server + Orket + foreign = host, whatever the counters say")
    void sharesAddUp(@ForAll @LongRange(min = 1, max = 100_000) long total, @ForAll @LongRange(max = 200_000) long busy,
            @ForAll @LongRange(max = 200_000) long server, @ForAll @LongRange(max = 200_000) long orket,
            @ForAll @IntRange(min = 1, max = 256) int cores) {
        HostSnapshot first = new HostSnapshot(0, 0, cores, null, Map.of(1L, 0L), Map.of(2L, 0L));
        HostSnapshot last = new HostSnapshot(busy, total, cores, null, Map.of(1L, server), Map.of(2L, orket));

        HostTelemetry host = HostContention.summarize(List.of(first, last), "proc", List.of());

        assertThat(host.hostCpuPercent()).isBetween(0.0, 100.0);
        assertThat(host.serverCpuPercent() + host.orketCpuPercent() + host.foreignCpuPercent())
                .isCloseTo(host.hostCpuPercent(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    @DisplayName("the /proc sampler reads the host, the server's tree (roots and descendants) and Orket's own tree")
    void procSampler(@TempDir Path root) throws IOException {
        // Orket is pid 50 with a child 51 (its sidecar); the server is pid 60, listening, whose child 61 is born
        // during the run; 70 is a noisy neighbour.
        Files.writeString(root.resolve("loadavg"), "1.00 0.50 0.25 1/100 70\n");
        cpu(root, 1000, 5000);
        stat(root, 50, 1, 100);
        stat(root, 51, 50, 10);
        stat(root, 60, 1, 1000);
        stat(root, 70, 1, 5);
        ProcFs proc = new ProcFs(root);
        ProcHostSampler sampler = new ProcHostSampler(proc, new ServerProcessFinder(proc, 50), 50,
                Duration.ofHours(1));

        HostSampler.Session session = sampler.start(ServerProcessRule.ofPids(Set.of(60L)));
        cpu(root, 1180, 5200);
        Files.writeString(root.resolve("loadavg"), "2.50 0.90 0.40 3/101 71\n");
        stat(root, 50, 1, 108);
        stat(root, 51, 50, 12);
        stat(root, 60, 1, 1080);
        stat(root, 61, 60, 30);
        stat(root, 70, 1, 65);
        HostTelemetry host = session.stop();

        assertThat(host.sampleCount()).isEqualTo(2);
        assertThat(host.source()).isEqualTo("proc");
        assertThat(host.hostCpuPercent()).isEqualTo(90.0);
        assertThat(host.serverCpuPercent()).isEqualTo(55.0);
        assertThat(host.orketCpuPercent()).isEqualTo(5.0);
        assertThat(host.foreignCpuPercent()).isEqualTo(30.0);
        assertThat(host.hostLoad1m()).isEqualTo(2.5);
        assertThat(host.hostCoreCount()).isEqualTo(2);
        assertThat(host.serverProcessIds()).containsExactly(60L, 61L);
        assertThat(host.unavailableReasons()).isEmpty();
    }

    @Test
    @DisplayName("without any known server process, all CPU beyond Orket's is foreign, and the record says why")
    void unknownServer(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("loadavg"), "0.10 0.10 0.10 1/100 70\n");
        cpu(root, 0, 0);
        stat(root, 50, 1, 0);
        ProcFs proc = new ProcFs(root);
        HostSampler.Session session = new ProcHostSampler(proc, new ServerProcessFinder(proc, 50), 50,
                Duration.ofHours(1)).start(ServerProcessRule.NONE);
        cpu(root, 100, 200);

        HostTelemetry host = session.stop();

        assertThat(host.foreignCpuPercent()).isEqualTo(50.0);
        assertThat(host.unavailableReasons()).containsExactly("server_processes_unknown");
    }

    @Test
    @DisplayName("a disabled sampler says why and samples nothing")
    void disabled() {
        HostTelemetry host = HostSampler.disabled("ci_lane").start(ServerProcessRule.NONE).stop();
        assertThat(host).isEqualTo(HostTelemetry.notSampled("ci_lane"));
        assertThat(HostSampler.byLane(dev.orket.api.ExecutionLane.CI).start(ServerProcessRule.NONE).stop()
                .unavailableReasons()).containsExactly("ci_lane");
    }

    private static void cpu(Path root, long busy, long total) throws IOException {
        long idle = total - busy;
        Files.writeString(root.resolve("stat"), "cpu  " + busy + " 0 0 " + idle + " 0 0 0 0 0 0\n"
                + "cpu0 0 0 0 0 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0 0 0\n");
    }

    private static void stat(Path root, long pid, long parent, long ticks) throws IOException {
        Path dir = Files.createDirectories(root.resolve(Long.toString(pid)));
        Files.writeString(dir.resolve("stat"), pid + " (p" + pid + ") S " + parent + " 0 0 0 -1 0 0 0 0 0 " + ticks
                + " 0 0 0 20 0 1 0 1 0 0\n");
    }

    @Test
    @DisplayName("the JVM's OperatingSystemMXBean sampler (used where there is no /proc) attributes a real child")
    void mxBeanSampler() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            HostSampler.Session session = new MxBeanHostSampler(ServerProcessFinder.system(), Duration.ofMillis(50))
                    .start(ServerProcessRule.ofPids(Set.of(child.pid())));
            Thread.sleep(300);
            HostTelemetry host = session.stop();

            assertThat(host.source()).isEqualTo("os_mxbean");
            assertThat(host.sampleCount()).isGreaterThanOrEqualTo(2);
            assertThat(host.hostCoreCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(host.serverProcessIds()).containsExactly(child.pid());
            assertThat(host.unavailableReasons()).isEmpty();
        } finally {
            ProcessTree.end(child, Duration.ofSeconds(2));
        }
    }
}
