package dev.orket.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.ComputeProcess;
import dev.orket.api.ControlStatus;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.GpuSample;
import dev.orket.api.HardwareFlag;
import dev.orket.api.MonotonicClock;
import dev.orket.api.RunQualityReason;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import dev.orket.api.ThrottleReason;
import dev.orket.api.spi.GpuSidecar;
import dev.orket.api.spi.SidecarSession;
import dev.orket.core.host.HostSampler;
import dev.orket.core.policy.RunPolicy;
import dev.orket.core.recommend.ViewOptions;
import dev.orket.core.report.SweepReport;
import dev.orket.core.telemetry.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validity in real conditions, sweep by sweep: GPU readings never gate (canary included) yet show in the
 * summary, the report and the recommendation; the server's processes are recorded in the manifest; a lab run
 * whose controls did not reach the server is polluted; a sweep's summary carries its lane and profile even
 * when nothing ran.
 */
@DisplayName("Sweep validity")
class SweepValidityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualClock clock = new ManualClock();

    private SweepEngine.Builder engine(String extra, Path dir, GpuSidecar sidecar) {
        return engineOf(String.format(SweepEngineTest.CONFIG, extra), dir, sidecar);
    }

    private SweepEngine.Builder engineOf(String text, Path dir, GpuSidecar sidecar) {
        return engineOf(text, dir, sidecar, new FakeFamilyProvider(clock, SweepEngineTest.SPEED, SweepEngineTest.OUTPUT));
    }

    private SweepEngine.Builder engineOf(String text, Path dir, GpuSidecar sidecar, FakeFamilyProvider provider) {
        return SweepEngineTest.engineOn(text, dir, clock)
                .provider(provider)
                .sidecar(sidecar)
                // The host is sampled by lane; these sweeps fix it so that a busy build machine changes nothing.
                .hostSampler(HostSampler.disabled("host_sampling_disabled"));
    }

    @Test
    @DisplayName("a throttled GPU shared with a foreign process gates nothing: canary passes, every run is valid, "
            + "and the summary, report and recommendation say what the GPU saw")
    void gpuReadingsAreAdvisory(@TempDir Path dir) throws IOException {
        SweepOutcome outcome = engine("", dir, new BusyGpu()).serverProcessIds(Set.of(4243L)).build().run();

        assertThat(outcome.canary().passed()).isTrue();
        assertThat(outcome.canary().validRuns()).isEqualTo(3);
        List<LedgerEntry> measured = RunLedger.readAll(dir.resolve("runs.jsonl"));
        assertThat(measured).hasSize(18).allSatisfy(e -> {
            assertThat(e.telemetry().validity().valid()).isTrue();
            assertThat(e.telemetry().hardwareFlags().flags()).containsExactly(HardwareFlag.FOREIGN_GPU_PROCESS,
                    HardwareFlag.GPU_THROTTLED);
            assertThat(e.telemetry().hardwareFlags().details().get(HardwareFlag.FOREIGN_GPU_PROCESS))
                    .isEqualTo("1 foreign process(es), first pid 7777 (python); the measured server's were [4243]");
        });

        SweepReport.Written report = SweepReport.write(dir, "test-sweep", ViewOptions.DEFAULT, RunPolicy.DEFAULT);
        JsonNode summary = JSON.readTree(report.summaryFile().toFile());
        JsonNode f16 = cell(summary, "F16");
        assertThat(f16.path("valid_runs").asLong()).isEqualTo(6);
        assertThat(f16.path("hardware_flags").path("GPU_THROTTLED").path("runs").asLong()).isEqualTo(6);
        assertThat(f16.path("hardware_flags").path("GPU_THROTTLED").path("share").asDouble()).isEqualTo(1.0);
        assertThat(f16.path("throttle_reasons_seen").toString()).isEqualTo("[\"sw_thermal_slowdown\"]");
        JsonNode notes = summary.path("recommendations").get(0).path("notes");
        String winner = summary.path("recommendations").get(0).path("winner_quant_tag").asText();
        assertThat(notes.toString()).contains("100 % of " + winner + "'s runs throttled: sw_thermal_slowdown",
                "100 % of " + winner + "'s runs shared the GPU with a process that is not the measured server's");
        assertThat(Files.readString(report.reportFile()))
                .contains("GPU_THROTTLED 100 % (sw_thermal_slowdown); FOREIGN_GPU_PROCESS 100 %");
    }

    @Test
    @DisplayName("the manifest records how the server's processes are found and those it found")
    void manifestRecordsServerProcesses(@TempDir Path dir) throws IOException {
        engine(", \"server_process_names\": [\"llama-server\", \"ollama\"]", dir, null).serverProcessIds(Set.of(4243L))
                .build().run();

        JsonNode processes = JSON.readTree(dir.resolve("sweep_manifest.json").toFile()).path("server_processes");
        assertThat(processes.path("managed").asBoolean()).isFalse();
        assertThat(processes.path("loopback_port").asInt()).isEqualTo(1);
        assertThat(processes.path("process_names").toString()).isEqualTo("[\"llama-server\",\"ollama\"]");
        assertThat(processes.path("resolved").get(0).toString())
                .isEqualTo("{\"cell\":null,\"pid\":4243,\"name\":\"\",\"found_by\":\"pid\"}");
    }

    @Test
    @DisplayName("in the lab lane, an affinity Orket cannot apply to a server it did not start pollutes every run")
    void labAffinityNotApplied(@TempDir Path dir) {
        String lab = String.format(SweepEngineTest.CONFIG, ", \"controls\": {\"seed\": 42, \"affinity_policy\":"
                + " \"compact\"}").replace("\"ci\"", "\"lab\"").replace("\"canary\": {\"runs\": 3}", "\"canary\": {\"runs\": 0}");
        engineOf(lab, dir, null).build().run();

        List<LedgerEntry> measured = RunLedger.readAll(dir.resolve("runs.jsonl"));
        assertThat(measured).isNotEmpty().allSatisfy(e -> {
            assertThat(e.telemetry().controlsApplied().of(ExperimentalControl.AFFINITY).status())
                    .isEqualTo(ControlStatus.NOT_APPLIED);
            assertThat(e.telemetry().quality().reasons()).contains(RunQualityReason.MISSING_EXPERIMENTAL_CONTROLS);
            assertThat(e.telemetry().qualityDetails().get(RunQualityReason.MISSING_EXPERIMENTAL_CONTROLS))
                    .contains("affinity compact: affinity applies only to a managed server Orket starts");
            assertThat(e.telemetry().validity().valid()).isFalse();
        });
    }

    @Test
    @DisplayName("a sweep whose every cell was blocked still writes a summary with its lane and profile")
    void allBlockedSummaryCarriesLabels(@TempDir Path dir) throws IOException {
        engineOf(String.format(SweepEngineTest.CONFIG, ", \"vram_preflight\": {\"mode\": \"strict\", \"card_vram_mib\":"
                + " 1000, \"estimates_mib\": {\"F16\": 9000, \"Q8_0\": 9000, \"Q4_K_M\": 9000}}")
                .replace("\"canary\": {\"runs\": 3}", "\"canary\": {\"runs\": 0}"), dir, null).build().run();

        SweepReport.Written report = SweepReport.write(dir, "test-sweep", ViewOptions.DEFAULT, RunPolicy.DEFAULT);

        JsonNode summary = JSON.readTree(report.summaryFile().toFile());
        assertThat(summary.path("total_runs").asLong()).isZero();
        assertThat(summary.path("execution_lane").asText()).isEqualTo("ci");
        assertThat(summary.path("vram_profile").asText()).isEqualTo("balanced");
    }

    @Test
    @DisplayName("a quant whose server reports absurd numbers ends invalid, and the sweep, its resume and its report"
            + " go on")
    void absurdNumbersNeverStopASweep(@TempDir Path dir) throws IOException {
        FakeFamilyProvider provider = new FakeFamilyProvider(clock, SweepEngineTest.SPEED, SweepEngineTest.OUTPUT);
        provider.absurdNumbersFor(Set.of("Q8_0"));
        String text = String.format(SweepEngineTest.CONFIG, "");

        SweepOutcome outcome = engineOf(text, dir, null, provider).build().run();

        assertThat(outcome.status()).isEqualTo(SweepOutcome.Status.COMPLETED);
        List<LedgerEntry> measured = RunLedger.readAll(dir.resolve("runs.jsonl"));
        assertThat(measured).hasSize(18);
        assertThat(measured).filteredOn(e -> e.runId().startsWith("m/Q8_0/")).hasSize(6).allSatisfy(e -> {
            assertThat(e.telemetry().quality().reasons()).contains(RunQualityReason.IMPLAUSIBLE_SERVER_VALUE);
            assertThat(e.telemetry().validity().valid()).isFalse();
            assertThat(e.telemetry().tokenMetrics().outputTokens().isPresent()).isFalse();
        });
        assertThat(measured).filteredOn(e -> !e.runId().startsWith("m/Q8_0/"))
                .allSatisfy(e -> assertThat(e.telemetry().validity().valid()).isTrue());
        SweepOutcome resumed = engineOf(text, dir, null, provider).build().run();
        assertThat(resumed.runsExecuted()).isZero();
        JsonNode summary = JSON.readTree(SweepReport.write(dir, "test-sweep", ViewOptions.DEFAULT, RunPolicy.DEFAULT)
                .summaryFile().toFile());
        assertThat(cell(summary, "Q8_0").path("excluded_by_reason").path("run_quality:IMPLAUSIBLE_SERVER_VALUE")
                .asLong()).isEqualTo(6);
    }

    private static JsonNode cell(JsonNode summary, String quant) {
        for (JsonNode cell : summary.path("cells")) {
            if (cell.path("quant_tag").asText().equals(quant)) {
                return cell;
            }
        }
        throw new AssertionError("no cell " + quant + " in " + summary);
    }

    /** A GPU under thermal slowdown with a foreign python process on it, in every sample. */
    static final class BusyGpu implements GpuSidecar {
        @Override
        public String id() {
            return "busy";
        }

        @Override
        public SidecarReading sampleOnce() {
            return new SidecarReading(List.of(GpuSample.builder().gpuIndex(0).gpuUuid("GPU-0").gpuName("Test")
                    .vramTotalMib(10000L).vramUsedMib(1000L).temperatureC(60.0)
                    .throttleReasons(Set.of(ThrottleReason.SW_THERMAL_SLOWDOWN))
                    .computeProcesses(List.of(new ComputeProcess("GPU-0", 4243, "llama-server", 900L),
                            new ComputeProcess("GPU-0", 7777, "python", 100L)))
                    .build()), SidecarParseStatus.OK, List.of());
        }

        @Override
        public SidecarSession start(MonotonicClock runClock) {
            return this::sampleOnce;
        }
    }
}
