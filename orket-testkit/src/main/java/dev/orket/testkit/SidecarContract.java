package dev.orket.testkit;

import static dev.orket.testkit.assertj.OrketAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import dev.orket.api.spi.GpuSidecar;
import dev.orket.api.spi.SidecarSession;
import dev.orket.core.telemetry.RecordingListener;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.VirtualClock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link GpuSidecar} passes: its status and errors are a pure function of its
 * input, and a missing, broken or hanging tool never fails a run and never outlives it. Extend it in
 * the sidecar module's tests and map each {@link SidecarScenario} to the tool's input.
 *
 * @since 0.1
 */
public abstract class SidecarContract {

    /**
     * Creates the sidecar under test in the scenario, with the given deadline for one-shot samples and stops.
     * Called once per check; the contract closes it.
     */
    protected abstract GpuSidecar createSidecar(SidecarScenario scenario, Duration deadline);

    /** The deadline the contract gives; a hanging tool must return within it (plus a margin). */
    protected Duration deadline() {
        return Duration.ofMillis(500);
    }

    /** Slack on top of the deadline for a hanging tool's call to return (process teardown). */
    protected Duration slack() {
        return Duration.ofSeconds(3);
    }

    private static final Set<SidecarParseStatus> DATA_STATUSES =
            EnumSet.of(SidecarParseStatus.OK, SidecarParseStatus.OPTIONAL_FIELD_MISSING);

    @Nested
    @DisplayName("Determinism")
    class Determinism {

        @Test
        @DisplayName("a healthy tool gives samples with every required field and a data status")
        void healthy() {
            try (GpuSidecar sidecar = createSidecar(SidecarScenario.HEALTHY, deadline())) {
                SidecarReading reading = sidecar.sampleOnce();
                assertThat(reading.parseStatus()).isIn(DATA_STATUSES);
                assertThat(reading.samples()).isNotEmpty();
                assertThat(reading.samples()).allSatisfy(sample -> {
                    assertThat(sample.gpuIndex()).as("gpu_index").isNotNull();
                    assertThat(sample.gpuUuid()).as("gpu_uuid").isNotNull();
                    assertThat(sample.gpuName()).as("gpu_name").isNotNull();
                    assertThat(sample.vramTotalMib()).as("vram_total_mib").isNotNull();
                    assertThat(sample.vramUsedMib()).as("vram_used_mib").isNotNull();
                });
            }
        }

        @Test
        @DisplayName("the same input gives the same status and the same sorted errors")
        void sameInSameOut() {
            for (SidecarScenario scenario : List.of(SidecarScenario.HEALTHY, SidecarScenario.MALFORMED_OUTPUT,
                    SidecarScenario.TOOL_MISSING)) {
                SidecarReading first;
                SidecarReading second;
                try (GpuSidecar sidecar = createSidecar(scenario, deadline())) {
                    first = sidecar.sampleOnce();
                }
                try (GpuSidecar sidecar = createSidecar(scenario, deadline())) {
                    second = sidecar.sampleOnce();
                }
                assertThat(second.parseStatus()).as(scenario + " status").isEqualTo(first.parseStatus());
                assertThat(second.parseErrors()).as(scenario + " errors").isEqualTo(first.parseErrors());
                assertThat(first.parseErrors()).as(scenario + " errors sorted and distinct")
                        .isEqualTo(first.parseErrors().stream().distinct().sorted().collect(Collectors.toList()));
            }
        }

        @Test
        @DisplayName("malformed output is a parse status with errors, never an exception")
        void malformed() {
            try (GpuSidecar sidecar = createSidecar(SidecarScenario.MALFORMED_OUTPUT, deadline())) {
                SidecarReading reading = sidecar.sampleOnce();
                assertThat(reading.parseStatus()).isNotIn(SidecarParseStatus.OK);
                assertThat(reading.parseErrors()).isNotEmpty();
            }
        }
    }

    @Nested
    @DisplayName("Resilience")
    class Resilience {

        @Test
        @DisplayName("a missing tool is NOT_APPLICABLE with a reason, never an exception")
        void missingTool() {
            try (GpuSidecar sidecar = createSidecar(SidecarScenario.TOOL_MISSING, deadline())) {
                SidecarReading reading = sidecar.sampleOnce();
                assertThat(reading.parseStatus()).isEqualTo(SidecarParseStatus.NOT_APPLICABLE);
                assertThat(reading.parseErrors()).isNotEmpty();
                assertThat(reading.samples()).isEmpty();
            }
        }

        @Test
        @DisplayName("a hanging tool answers within its deadline, one-shot and on stop")
        void hangingToolIsBounded() {
            try (GpuSidecar sidecar = createSidecar(SidecarScenario.TOOL_HANGS, deadline())) {
                long started = System.nanoTime();
                SidecarReading once = sidecar.sampleOnce();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(deadline().plus(slack()));
                assertThat(once.parseStatus()).isEqualTo(SidecarParseStatus.NOT_APPLICABLE);
                SidecarSession session = sidecar.start(new VirtualClock());
                started = System.nanoTime();
                SidecarReading stopped = session.stop();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(deadline().plus(slack()));
                assertThat(stopped.parseStatus()).isEqualTo(SidecarParseStatus.NOT_APPLICABLE);
            }
        }

        @Test
        @DisplayName("a missing, hanging or broken tool never fails a run, and a healthy one never changes its outcome")
        void neverFailsARun() {
            for (SidecarScenario scenario : SidecarScenario.values()) {
                VirtualClock clock = new VirtualClock();
                try (GpuSidecar sidecar = createSidecar(scenario, deadline())) {
                    RunExecutor executor = RunExecutor.builder().clock(clock).sidecar(sidecar).build();
                    RunResult result = executor.execute(new InProcessProvider(clock),
                            RunRequest.builder("sidecar-" + scenario, "m", "p").build());
                    RunTelemetry t = result.telemetry();
                    assertThat(t).as(scenario.name()).isCompleted();
                    assertThat(t.validity().invalidReasons()).as(scenario + " invalid reasons")
                            .noneMatch(reason -> reason.startsWith("sidecar"));
                    if (scenario != SidecarScenario.HEALTHY) {
                        assertThat(t.sidecar().parseStatus()).as(scenario + " sidecar status")
                                .isNotIn(SidecarParseStatus.OK);
                    }
                }
            }
        }

        @Test
        @DisplayName("a hanging tool never outlives the run: no thread or process it started is alive after close")
        void neverOutlivesTheRun() {
            Set<Thread> before = ContractRun.liveThreads();
            Set<Long> processesBefore = ProcessHandle.current().descendants().map(ProcessHandle::pid)
                    .collect(Collectors.toSet());
            VirtualClock clock = new VirtualClock();
            // Every process the sidecar started while the run was on, grandchildren too, seen while they were
            // descendants: a child killed alone leaves its own children orphans, which are no descendants any more.
            Set<ProcessHandle> started = ConcurrentHashMap.newKeySet();
            RecordingListener watch = (event, nanos, state) -> ProcessHandle.current().descendants()
                    .filter(p -> !processesBefore.contains(p.pid())).forEach(started::add);
            try (GpuSidecar sidecar = createSidecar(SidecarScenario.TOOL_HANGS, deadline())) {
                RunExecutor.builder().clock(clock).sidecar(sidecar).listener(watch).build()
                        .execute(new InProcessProvider(clock), RunRequest.builder("sidecar-hang", "m", "p").build());
            }
            long deadline = System.nanoTime() + slack().toNanos();
            List<String> alive;
            List<String> processes;
            do {
                alive = ContractRun.liveThreads().stream().filter(t -> !before.contains(t))
                        .filter(t -> !jdkShared(t)).map(Thread::getName).collect(Collectors.toList());
                processes = started.stream().filter(ProcessHandle::isAlive)
                        .map(p -> p.pid() + " " + p.info().command().orElse("?")).collect(Collectors.toList());
                if (alive.isEmpty() && processes.isEmpty()) {
                    break;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            } while (System.nanoTime() < deadline);
            assertThat(alive).as("threads started by the sidecar still alive after close").isEmpty();
            assertThat(processes).as("processes started by the sidecar still alive after close").isEmpty();
        }

        /**
         * Threads of the JDK's shared pools, which outlive any one caller by design and end on their own when idle:
         * the common fork-join pool, and the process reaper that waits on every child process the JVM starts (its
         * child is checked here directly: the sidecar's processes must be dead).
         */
        private boolean jdkShared(Thread thread) {
            return thread.getName().startsWith("ForkJoinPool") || thread.getName().equals("process reaper");
        }
    }
}
