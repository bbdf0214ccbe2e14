package dev.orket.core.telemetry;

import static dev.orket.core.telemetry.ScriptedProvider.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.ControlApplication;
import dev.orket.api.ControlStatus;
import dev.orket.api.ExecutionLane;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.FinishReason;
import dev.orket.api.HardwareFlag;
import dev.orket.api.HostTelemetry;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.api.UnavailableReason;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.host.HostSampler;
import dev.orket.core.host.MeasuredServer;
import dev.orket.core.host.ServerProcessRule;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The run record in real conditions: a server's absurd numbers, a noisy host, controls that did not reach the
 * server, and GPU readings that never touch validity. Exact values on the virtual clock.
 */
@DisplayName("Run conditions")
class RunConditionsTest {

    private final ManualClock clock = new ManualClock();

    private RunTelemetry run(RunRequest request, HostSampler host, MeasuredServer server,
            Map<HardwareFlag, String> preRun, WireEvent... report) {
        List<ScriptedProvider.Step> steps = new java.util.ArrayList<>();
        steps.add(at(0, new WireEvent.RequestSent()));
        steps.add(at(200, new WireEvent.ResponseStarted(200)));
        steps.add(at(0, new WireEvent.ResponseBody("abcde")));
        for (WireEvent event : report) {
            steps.add(at(0, event));
        }
        steps.add(at(50, new WireEvent.Completed(FinishReason.STOP)));
        return RunExecutor.builder().clock(clock).wallClock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
                .hostSampler(host).build()
                .execute(new ScriptedProvider(clock, steps), request, server, preRun).telemetry();
    }

    private RunTelemetry cleanRun(RunRequest request, HostSampler host) {
        return run(request, host, MeasuredServer.UNKNOWN, Map.of(), new WireEvent.ServerUsage(10, 0, 5),
                new WireEvent.ServerTimings(62.5, 156.25, null));
    }

    private static RunRequest request(ExecutionLane lane) {
        return RunRequest.builder("run-1", "tiny", "p").stream(false).executionLane(lane).build();
    }

    private static HostSampler host(HostTelemetry telemetry) {
        return server -> () -> telemetry;
    }

    private static final HostSampler QUIET = host(new HostTelemetry(98.0, 2.1, 2, 1.5, 94.5, 2.0, 3, "proc", List.of(),
            List.of(4243L)));

    @Nested
    @DisplayName("a server's absurd numbers")
    class AbsurdNumbers {

        @Test
        @DisplayName("llama.cpp prompt_ms 1.7e308 and predicted_ms 1e-320: absent with the reason, never an exception")
        void llamaCppTimings() {
            RunTelemetry t = run(request(ExecutionLane.CI), QUIET, MeasuredServer.UNKNOWN, Map.of(),
                    new WireEvent.ServerUsage(10, 0, 5), new WireEvent.ServerTimings(1.7e308, 1e-320, null));

            assertThat(t.outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
            assertThat(t.tokenMetrics().serverPromptMs().unavailableReason())
                    .isEqualTo(UnavailableReason.IMPLAUSIBLE_SERVER_VALUE);
            assertThat(t.tokenMetrics().serverGenerationMs().unavailableReason())
                    .isEqualTo(UnavailableReason.IMPLAUSIBLE_SERVER_VALUE);
            assertThat(t.tokenMetrics().generationTokensPerSecond().isPresent()).isFalse();
            assertThat(t.internalModelSeconds().isPresent()).isFalse();
            assertThat(t.tokenMetrics().status()).isEqualTo(TokenMetricsStatus.TIMING_UNAVAILABLE);
            assertThat(t.quality().reasons()).containsExactly(RunQualityReason.IMPLAUSIBLE_SERVER_VALUE);
            assertThat(t.qualityDetails().get(RunQualityReason.IMPLAUSIBLE_SERVER_VALUE)).isEqualTo(
                    "server_prompt_ms=1.7E308 (above 604800000 ms (7 days)); server_generation_ms=1.0E-320"
                            + " (under 1 ns but not zero)");
            assertThat(t.validity().valid()).isFalse();
        }

        @Test
        @DisplayName("an Ollama eval_count of 9e18 is absent, never 2147483647; a negative duration is absent too")
        void hugeCountAndNegativeDuration() {
            RunTelemetry t = run(request(ExecutionLane.CI), QUIET, MeasuredServer.UNKNOWN, Map.of(),
                    new WireEvent.ServerUsage(10L, null, 9_000_000_000_000_000_000L),
                    new WireEvent.ServerTimings(-0.000005, 1.7e302, 0.0));

            assertThat(t.tokenMetrics().outputTokens().unavailableReason())
                    .isEqualTo(UnavailableReason.IMPLAUSIBLE_SERVER_VALUE);
            assertThat(t.tokenMetrics().promptTokens().value()).isEqualTo(10.0);
            assertThat(t.tokenMetrics().loadMs().value()).isEqualTo(0.0);
            assertThat(t.tokenMetrics().status()).isEqualTo(TokenMetricsStatus.TOKEN_AND_TIMING_UNAVAILABLE);
            assertThat(t.qualityDetails().get(RunQualityReason.IMPLAUSIBLE_SERVER_VALUE)).isEqualTo(
                    "output_tokens=9000000000000000000 (above 100000000 tokens); server_prompt_ms=-5.0E-6 (negative);"
                            + " server_generation_ms=1.7E302 (above 604800000 ms (7 days))");
            assertThat(t.quality().reasons()).doesNotContain(RunQualityReason.MISSING_TOKEN_TIMINGS);
            assertThat(t.validity().invalidReasons()).contains("run_quality:IMPLAUSIBLE_SERVER_VALUE");
        }
    }

    @Nested
    @DisplayName("host contention")
    class Contention {

        @Test
        @DisplayName("a server using every core on a quiet host is not contention: the run is CLEAN")
        void busyServerIsClean() {
            RunTelemetry t = cleanRun(request(ExecutionLane.LAB), QUIET);

            assertThat(t.quality().reasons()).isEmpty();
            assertThat(t.host().hostCpuPercent()).isEqualTo(98.0);
            assertThat(t.host().foreignCpuPercent()).isEqualTo(1.5);
        }

        @Test
        @DisplayName("foreign processes above 10 % of the host's CPU: HIGH_CPU_SATURATION with the attribution")
        void foreignCpu() {
            RunTelemetry t = cleanRun(request(ExecutionLane.LAB), host(new HostTelemetry(100.0, 3.9, 2, 48.25, 49.75,
                    2.0, 3, "proc", List.of(), List.of(4243L))));

            assertThat(t.quality().reasons()).containsExactly(RunQualityReason.HIGH_CPU_SATURATION,
                    RunQualityReason.HIGH_SYSTEM_LOAD);
            assertThat(t.qualityDetails().get(RunQualityReason.HIGH_CPU_SATURATION)).isEqualTo(
                    "foreign processes used 48.3 % of the host's CPU > 10.0 % (host 100.0 %, server 49.8 %,"
                            + " Orket 2.0 %)");
            // load 3.9 on 2 cores, minus the server's and Orket's 1.035 busy cores: 1.43 per core > 1.0.
            assertThat(t.qualityDetails().get(RunQualityReason.HIGH_SYSTEM_LOAD)).isEqualTo(
                    "load 3.90 on 2 cores, 2.87 beyond the server's and Orket's 1.04 busy cores: 1.43 per core > 1.00");
        }

        @Test
        @DisplayName("a share over the threshold by less than one accounting tick of a short run is not contention")
        void tickResolution() {
            // A 65 ms run on 2 cores is 13 ticks: 2 foreign ticks are 15.4 %, but one tick alone is 7.7 %.
            RunTelemetry rounding = cleanRun(request(ExecutionLane.LAB), host(new HostTelemetry(100.0, 1.46, 2,
                    15.384615384615385, 61.53846153846154, 23.076923076923077, 2, "proc", List.of(), List.of(4243L),
                    100.0 / 13)));
            assertThat(rounding.quality().reasons()).isEmpty();

            RunTelemetry burners = cleanRun(request(ExecutionLane.LAB), host(new HostTelemetry(100.0, 1.46, 2, 50.0,
                    30.0, 20.0, 2, "proc", List.of(), List.of(4243L), 100.0 / 13)));
            assertThat(burners.qualityDetails().get(RunQualityReason.HIGH_CPU_SATURATION)).isEqualTo(
                    "foreign processes used 50.0 % of the host's CPU > 10.0 % (host 100.0 %, server 30.0 %, Orket 20.0 %;"
                            + " accounting resolution 7.7 %)");
        }

        @Test
        @DisplayName("load the server's own threads explain is not HIGH_SYSTEM_LOAD")
        void ownLoad() {
            RunTelemetry t = cleanRun(request(ExecutionLane.LAB), host(new HostTelemetry(100.0, 2.9, 2, 0.0, 100.0,
                    0.0, 3, "proc", List.of(), List.of(4243L))));

            assertThat(t.quality().reasons()).isEmpty();
        }

        @Test
        @DisplayName("host figures that could not be sampled flag nothing and say why")
        void unsampled() {
            RunTelemetry t = cleanRun(request(ExecutionLane.LAB), HostSampler.disabled("host_sampling_disabled"));

            assertThat(t.quality().reasons()).isEmpty();
            assertThat(t.host().unavailableReasons()).containsExactly("host_sampling_disabled");
        }

        @Test
        @DisplayName("by default the ci lane is not sampled: a busy build machine never changes a ci record")
        void ciLaneNotSampled() {
            RunTelemetry t = run(request(ExecutionLane.CI), null, MeasuredServer.UNKNOWN, Map.of(),
                    new WireEvent.ServerUsage(10, 0, 5), new WireEvent.ServerTimings(62.5, 156.25, null));

            assertThat(t.host()).isEqualTo(HostTelemetry.notSampled("ci_lane"));
        }
    }

    @Nested
    @DisplayName("experimental controls")
    class Controls {

        private final RunRequest asked = RunRequest.builder("run-1", "tiny", "p").stream(false)
                .executionLane(ExecutionLane.LAB).seed(42L).temperature(0.0).threads(4).contextSize(4096).build();

        @Test
        @DisplayName("in the lab lane a requested control that was not applied is MISSING_EXPERIMENTAL_CONTROLS")
        void notAppliedInLab() {
            RunTelemetry t = run(asked, QUIET, MeasuredServer.UNKNOWN, Map.of(), new WireEvent.ServerUsage(10, 0, 5),
                    new WireEvent.ServerTimings(62.5, 156.25, null));

            // ScriptedProvider declares nothing: the SPI's default says every requested control was not applied.
            assertThat(t.controlsApplied().of(ExperimentalControl.THREADS).status())
                    .isEqualTo(ControlStatus.NOT_APPLIED);
            assertThat(t.quality().reasons()).containsExactly(RunQualityReason.MISSING_EXPERIMENTAL_CONTROLS);
            assertThat(t.qualityDetails().get(RunQualityReason.MISSING_EXPERIMENTAL_CONTROLS)).isEqualTo(
                    "seed 42: provider 'scripted' does not declare how it applies seed; temperature 0.0: provider"
                            + " 'scripted' does not declare how it applies temperature; threads 4: provider 'scripted'"
                            + " does not declare how it applies threads; context_size 4096: provider 'scripted' does"
                            + " not declare how it applies context_size");
        }

        @Test
        @DisplayName("controls applied at the server's start win, and the context size the server reports decides")
        void serverControlsAndReportedContext() {
            MeasuredServer managed = new MeasuredServer(ServerProcessRule.ofPids(Set.of(4243L)), Map.of(
                    ExperimentalControl.SEED, ControlApplication.applied(42L, "sent as seed"),
                    ExperimentalControl.TEMPERATURE, ControlApplication.applied(0.0, "sent as temperature"),
                    ExperimentalControl.THREADS, ControlApplication.applied(4, "managed llama-server started with -t 4"),
                    ExperimentalControl.AFFINITY, ControlApplication.applied("compact", "pinned with taskset -c 0-3")));

            RunTelemetry t = run(asked, QUIET, managed, Map.of(), new WireEvent.ServerUsage(10, 0, 5),
                    new WireEvent.ServerTimings(62.5, 156.25, null), new WireEvent.ServerFacts(4096));

            assertThat(t.controlsApplied().of(ExperimentalControl.CONTEXT_SIZE)).isEqualTo(
                    ControlApplication.applied(4096, "the server reports a context of 4096 tokens"));
            assertThat(t.controlsApplied().notApplied()).isEmpty();
            assertThat(t.quality().reasons()).isEmpty();

            RunTelemetry other = run(asked, QUIET, managed, Map.of(), new WireEvent.ServerUsage(10, 0, 5),
                    new WireEvent.ServerTimings(62.5, 156.25, null), new WireEvent.ServerFacts(2048));
            assertThat(other.qualityDetails().get(RunQualityReason.MISSING_EXPERIMENTAL_CONTROLS))
                    .isEqualTo("context_size 4096: the server reports a context of 2048 tokens");
        }

        @Test
        @DisplayName("in the ci lane a control not applied is recorded but pollutes nothing")
        void ciLane() {
            RunTelemetry t = run(asked.toBuilder().executionLane(ExecutionLane.CI).build(), QUIET,
                    MeasuredServer.UNKNOWN, Map.of(), new WireEvent.ServerUsage(10, 0, 5),
                    new WireEvent.ServerTimings(62.5, 156.25, null));

            assertThat(t.controlsApplied().notApplied()).hasSize(4);
            assertThat(t.quality().reasons()).isEmpty();
        }
    }

    @Test
    @DisplayName("hardware flags known before the run are recorded, advisory: the run stays CLEAN and valid")
    void hardwareFlagsAreAdvisory() {
        RunTelemetry t = run(request(ExecutionLane.CI), QUIET, MeasuredServer.UNKNOWN,
                Map.of(HardwareFlag.THERMAL_NOT_SETTLED, "temperature 95.0 °C >= target 80.0 °C after waiting 3000 ms"),
                new WireEvent.ServerUsage(10, 0, 5), new WireEvent.ServerTimings(62.5, 156.25, null));

        assertThat(t.hardwareFlags().flags()).containsExactly(HardwareFlag.THERMAL_NOT_SETTLED);
        assertThat(t.quality().reasons()).isEmpty();
        assertThat(t.validity().valid()).isTrue();
    }
}
