package dev.orket.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.ControlStatus;
import dev.orket.api.ExecutionLane;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.HardwareFlag;
import dev.orket.api.Provenance;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunQualityStatus;
import dev.orket.api.RunTelemetry;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.TerminalState;
import dev.orket.api.ThrottleReason;
import dev.orket.api.UnavailableReason;
import dev.orket.core.kpi.CellKpis;
import dev.orket.core.kpi.KpiAggregator;
import dev.orket.core.kpi.KpiSummary;
import dev.orket.core.kpi.QualityScores;
import dev.orket.core.policy.RunPolicy;
import dev.orket.core.policy.ValidRunPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers tolerate the future and the past: committed records of a newer writer (unknown keys and label
 * values) and of an older one (hardware codes in run_quality_reasons) read, by the full reader and by the
 * KPI hot path alike, with the same validity.
 */
@DisplayName("Artifact evolution")
class ArtifactEvolutionTest {

    @Nested
    @DisplayName("a newer writer's run records")
    class FutureRecords {

        @Test
        @DisplayName("read without error, every unknown label kept as its raw spelling")
        void unknownLabelsAreKept() throws IOException {
            List<RunTelemetry> runs = lines("artifacts/future/runs.jsonl").stream().map(TelemetryJson::fromJson)
                    .toList();

            RunTelemetry timedOut = runs.get(0);
            assertThat(timedOut.schemaVersion()).isEqualTo(2);
            assertThat(timedOut.outcome().terminalState()).isEqualTo(TerminalState.UNRECOGNIZED);
            assertThat(timedOut.unrecognized("terminal_state")).containsExactly("TIMED_OUT");
            assertThat(timedOut.outcome().failureKind()).isEqualTo(FailureKind.UNRECOGNIZED);
            assertThat(timedOut.unrecognized("failure_kind")).containsExactly("DEADLINE_EXCEEDED");

            RunTelemetry other = runs.get(2);
            assertThat(other.outcome().finishReason()).isEqualTo(FinishReason.UNRECOGNIZED);
            assertThat(other.unrecognized("finish_reason")).containsExactly("tool_call");
            assertThat(other.tokenMetrics().serverPromptMs().provenance()).isEqualTo(Provenance.UNRECOGNIZED);
            assertThat(other.tokenMetrics().serverPromptMs().value()).isEqualTo(20.0);
            assertThat(other.unrecognized("metric_provenance.server_prompt_ms")).containsExactly("server_estimated");
            assertThat(other.tokenMetrics().loadMs().unavailableReason()).isEqualTo(UnavailableReason.UNRECOGNIZED);
            assertThat(other.unrecognized("unavailable_reasons.load_ms")).containsExactly("redacted_by_server");
            assertThat(other.sidecar().parseStatus()).isEqualTo(SidecarParseStatus.UNRECOGNIZED);
            assertThat(other.unrecognized("sidecar_parse_status")).containsExactly("PARTIAL_OK");
            assertThat(other.sidecar().throttleReasonsSeen())
                    .containsExactly(ThrottleReason.SW_POWER_CAP, ThrottleReason.UNRECOGNIZED);
            assertThat(other.unrecognized("sidecar.throttle_reasons_seen")).containsExactly("sw_quantum_slowdown");
            assertThat(other.hardwareFlags().flags()).containsExactly(HardwareFlag.GPU_THROTTLED,
                    HardwareFlag.UNRECOGNIZED);
            assertThat(other.unrecognized("hardware_flags")).containsExactly("NVLINK_DEGRADED");
            assertThat(other.controlsApplied().of(ExperimentalControl.TEMPERATURE).status())
                    .isEqualTo(ControlStatus.UNRECOGNIZED);
            assertThat(other.unrecognized("controls_applied.temperature.status")).containsExactly("approximated");
            assertThat(other.unrecognized("controls_applied")).containsExactly("top_p");
            assertThat(other.host().serverProcessIds()).containsExactly(4243L, 4244L);
            assertThat(other.host().source()).isEqualTo("ebpf");
        }

        @Test
        @DisplayName("an unknown quality reason makes the run invalid, even where the newer writer admitted it")
        void unknownQualityReasonInvalidates() throws IOException {
            List<RunTelemetry> runs = lines("artifacts/future/runs.jsonl").stream().map(TelemetryJson::fromJson)
                    .toList();

            assertThat(runs.get(1).quality().reasons()).containsExactly(RunQualityReason.UNRECOGNIZED);
            assertThat(ValidRunPolicy.evaluate(runs.get(1)).invalidReasons())
                    .containsExactly("run_quality:SPECULATIVE_DRAFT_MISMATCH");
            RunTelemetry admitted = runs.get(3);
            assertThat(admitted.validity().valid()).as("as recorded").isTrue();
            assertThat(ValidRunPolicy.evaluate(admitted).invalidReasons())
                    .containsExactly("run_quality:SPECULATIVE_DRAFT_MISMATCH");
            assertThat(ValidRunPolicy.evaluate(runs.get(0)).invalidReasons()).containsExactly(
                    "run_quality:MISSING_TOKEN_TIMINGS", "terminal_state:TIMED_OUT",
                    "token_metrics:TOKEN_AND_TIMING_UNAVAILABLE");
            assertThat(ValidRunPolicy.evaluate(runs.get(2)).valid()).as("unknown advisory labels never invalidate")
                    .isTrue();
        }

        @Test
        @DisplayName("the KPI hot path reads the same ledger and judges each run as the full reader does")
        void kpisAgree(@TempDir Path dir) throws IOException {
            Path ledger = dir.resolve("runs.jsonl");
            Files.writeString(ledger, String.join("\n", lines("artifacts/future/runs.jsonl")) + "\n");

            KpiSummary kpis = KpiAggregator.aggregateLedger(ledger, QualityScores.none(), RunPolicy.DEFAULT);

            assertThat(kpis.totalRuns()).isEqualTo(4);
            assertThat(kpis.validRuns()).isEqualTo(1);
            CellKpis cell = kpis.cells().get(0);
            assertThat(cell.excludedByReason()).containsEntry("run_quality:SPECULATIVE_DRAFT_MISMATCH", 2L)
                    .containsEntry("terminal_state:TIMED_OUT", 1L);
            assertThat(cell.hardwareFlagRuns()).containsEntry(HardwareFlag.GPU_THROTTLED, 1L)
                    .containsEntry(HardwareFlag.UNRECOGNIZED, 1L);
        }

        @Test
        @DisplayName("written back, a record carries the raw spellings it was read with (but a control it has no"
                + " slot for)")
        void roundTrip() throws IOException {
            for (String line : lines("artifacts/future/runs.jsonl")) {
                RunTelemetry read = TelemetryJson.fromJson(line);
                RunTelemetry again = TelemetryJson.fromJson(TelemetryJson.toJson(read));
                assertThat(again.unrecognizedLabels()).isEqualTo(read.unrecognizedLabels().stream()
                        .filter(label -> !label.field().equals("controls_applied")).toList());
                assertThat(again.outcome()).isEqualTo(read.outcome());
                assertThat(again.hardwareFlags().flags()).isEqualTo(read.hardwareFlags().flags());
            }
            assertThat(TelemetryJson.toJson(TelemetryJson.fromJson(lines("artifacts/future/runs.jsonl").get(0))))
                    .contains("\"terminal_state\":\"TIMED_OUT\"", "\"failure_kind\":\"DEADLINE_EXCEEDED\"");
        }
    }

    @Nested
    @DisplayName("an older writer's run records")
    class LegacyRecords {

        @Test
        @DisplayName("hardware codes found in run_quality_reasons move to hardware_flags and validity is judged again")
        void hardwareCodesMove() throws IOException {
            List<RunTelemetry> runs = lines("artifacts/legacy/runs-hardware-codes-in-quality.jsonl").stream()
                    .map(TelemetryJson::fromJson).toList();

            RunTelemetry onlyHardware = runs.get(0);
            assertThat(onlyHardware.hardwareFlags().flags()).containsExactly(HardwareFlag.FOREIGN_GPU_PROCESS,
                    HardwareFlag.GPU_THROTTLED);
            assertThat(onlyHardware.hardwareFlags().details()).containsEntry(HardwareFlag.GPU_THROTTLED,
                    "sw_thermal_slowdown");
            assertThat(onlyHardware.quality().status()).isEqualTo(RunQualityStatus.CLEAN);
            assertThat(onlyHardware.quality().reasons()).isEmpty();
            assertThat(onlyHardware.validity().valid()).isTrue();
            assertThat(ValidRunPolicy.evaluate(onlyHardware).valid()).isTrue();

            RunTelemetry alsoOverhead = runs.get(1);
            assertThat(alsoOverhead.hardwareFlags().flags()).containsExactly(HardwareFlag.GPU_THROTTLED);
            assertThat(alsoOverhead.quality().reasons()).containsExactly(RunQualityReason.HIGH_ORCHESTRATION_OVERHEAD);
            assertThat(alsoOverhead.validity().invalidReasons())
                    .containsExactly("run_quality:HIGH_ORCHESTRATION_OVERHEAD");
        }

        @Test
        @DisplayName("the KPI hot path admits the run the hardware codes alone had excluded")
        void kpisAdmit(@TempDir Path dir) throws IOException {
            Path ledger = dir.resolve("runs.jsonl");
            Files.writeString(ledger, String.join("\n", lines("artifacts/legacy/runs-hardware-codes-in-quality.jsonl")));

            KpiSummary kpis = KpiAggregator.aggregateLedger(ledger, QualityScores.none(), RunPolicy.DEFAULT);

            assertThat(kpis.validRuns()).isEqualTo(1);
            CellKpis cell = kpis.cells().get(0);
            assertThat(cell.excludedByReason()).containsOnlyKeys("run_quality:HIGH_ORCHESTRATION_OVERHEAD");
            assertThat(cell.hardwareFlagRuns()).containsEntry(HardwareFlag.GPU_THROTTLED, 1L)
                    .containsEntry(HardwareFlag.FOREIGN_GPU_PROCESS, 1L);
            assertThat(cell.hardwareFlagShare(HardwareFlag.GPU_THROTTLED)).isEqualTo(1.0);
            assertThat(cell.throttleReasonsSeen()).containsExactly(ThrottleReason.SW_THERMAL_SLOWDOWN);
        }
    }

    @Test
    @DisplayName("a newer writer's GPU sample lines read, unknown keys skipped and unknown labels kept")
    void futureSidecarSamples() throws IOException {
        List<String> lines = lines("artifacts/future/sidecar-samples.jsonl");

        GpuSampleJson.SampleLine first = GpuSampleJson.fromJson(lines.get(0));
        assertThat(first.lane()).isEqualTo(ExecutionLane.LAB);
        assertThat(first.runId()).isEqualTo("m/Q8_0/s/r0");
        assertThat(first.sample().vramUsedMib()).isEqualTo(9216L);
        assertThat(first.sample().throttleReasons()).containsExactlyInAnyOrder(ThrottleReason.SW_POWER_CAP,
                ThrottleReason.UNRECOGNIZED);
        assertThat(first.sample().computeProcesses()).singleElement()
                .satisfies(p -> assertThat(p.processName()).isEqualTo("llama-server"));
        assertThat(first.unrecognizedLabels()).extracting(l -> l.value()).containsExactly("sw_quantum_slowdown");

        GpuSampleJson.SampleLine second = GpuSampleJson.fromJson(lines.get(1));
        assertThat(second.lane()).isEqualTo(ExecutionLane.UNRECOGNIZED);
        assertThat(second.unrecognizedLabels()).extracting(l -> l.field() + "=" + l.value())
                .containsExactly("execution_lane=lab-gpu");
        assertThat(second.sample().throttleReasons()).isNull();
    }

    @Test
    @DisplayName("a newer writer's summary renders as a report: unknown keys skipped, unknown labels shown as written")
    void futureSummaryRenders() throws IOException {
        String summary = String.join("\n", lines("artifacts/future/summary.json"));

        String html = dev.orket.core.report.HtmlReport.render(summary, "future-sweep");

        assertThat(html).contains("NVLINK_DEGRADED 50 %", "GPU_THROTTLED 100 % (sw_thermal_slowdown)",
                "50 % of Q8_0&#39;s runs saw NVLINK_DEGRADED");
    }

    @Test
    @DisplayName("a newer writer's sweep config reads: keys this version does not know are skipped, the rest honoured")
    void futureSweepConfig() throws IOException {
        String text = String.join("\n", lines("artifacts/future/sweep-config.json"));

        dev.orket.core.sweep.SweepConfig config = dev.orket.core.sweep.SweepConfigReader.parse(text, "future.json");

        assertThat(config.sweepId()).isEqualTo("future-config");
        assertThat(config.executionLane()).isEqualTo(ExecutionLane.LAB);
        assertThat(config.serverProcessNames()).containsExactly("llama-server");
        assertThat(config.controls().threads()).isEqualTo(2);
        assertThat(config.models().get(0).serverModel("Q8_0")).isEqualTo("tiny-Q8_0");
        assertThat(config.canary().runs()).isEqualTo(3);
    }

    static List<String> lines(String resource) throws IOException {
        try (InputStream in = ArtifactEvolutionTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
