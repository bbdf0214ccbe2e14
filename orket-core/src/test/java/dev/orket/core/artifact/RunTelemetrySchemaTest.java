package dev.orket.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.orket.api.ComputeProcess;
import dev.orket.api.ExecutionLane;
import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.GpuSample;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.ServerIdentity;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import dev.orket.api.ThrottleReason;
import dev.orket.api.VramProfile;
import dev.orket.core.policy.RunPolicy;
import dev.orket.api.ControlApplication;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.HardwareFlags;
import dev.orket.api.HostTelemetry;
import dev.orket.core.telemetry.RunContext;
import dev.orket.core.telemetry.RunObservation;
import dev.orket.core.telemetry.RunState;
import dev.orket.core.telemetry.SidecarVerdict;
import dev.orket.core.telemetry.TelemetryCalculator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

@DisplayName("Run telemetry JSON artifacts")
class RunTelemetrySchemaTest {

    private static final Path SCHEMA = Path.of("..", "docs", "specs", "run-telemetry.schema.json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonSchema schema() throws IOException {
        try (InputStream in = Files.newInputStream(SCHEMA)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    private static RunObservation observation(RunState state, boolean stream, @Nullable FailureKind kind,
            @Nullable Double promptMs) {
        RunRequest request = RunRequest.builder("run-7", "tiny", "prompt").stream(stream).sweepId("sweep-1")
                .sessionId("s1").quantTag("Q8_0").executionLane(ExecutionLane.LAB).vramProfile(VramProfile.STRESS)
                .build();
        boolean completed = state == RunState.COMPLETED;
        return new RunObservation(request, "llamacpp", Instant.parse("2026-11-25T10:00:00Z"), 0L, 1_000_000L,
                stream && completed ? 21_000_000L : null, stream && completed ? 61_000_000L : null, 101_000_000L,
                stream && completed ? 3 : 0, stream && completed ? 3L : null, completed ? 9L : null,
                completed ? 2L : null, completed ? 3L : null, promptMs, completed ? 40.0 : null, null,
                completed ? 4096 : null,
                completed ? Map.of() : Map.of(RunQualityReason.VRAM_SPILL, "0.75 of the model in VRAM"), state,
                completed ? FinishReason.STOP : null, kind, kind == null ? null : "server said no",
                kind == null ? 200 : 500, completed ? 200_000L : null, completed ? 800_000L : null, !completed);
    }

    static Stream<RunTelemetry> records() {
        SidecarReading reading = new SidecarReading(List.of(
                GpuSample.builder().offsetMs(0).gpuIndex(0).gpuUuid("GPU-1").gpuName("H100").vramTotalMib(81559L)
                        .vramUsedMib(1000L).temperatureC(40.0).build(),
                GpuSample.builder().offsetMs(100).gpuIndex(0).gpuUuid("GPU-1").gpuName("H100").vramTotalMib(81559L)
                        .vramUsedMib(79000L).temperatureC(71.0).smClockMhz(1980.0).powerDrawW(350.5)
                        .throttleReasons(Set.of(ThrottleReason.SW_POWER_CAP))
                        .computeProcesses(List.of(new ComputeProcess("GPU-1", 4242, "python", 2048L)))
                        .build()),
                SidecarParseStatus.OPTIONAL_FIELD_MISSING, List.of("missing:fan_speed_pct"));
        SidecarVerdict verdict = SidecarVerdict.of(reading, 0, VramProfile.BALANCED, Set.of());
        return Stream.of(
                TelemetryCalculator.compute(observation(RunState.COMPLETED, true, null, 20.0),
                        SidecarVerdict.notApplicable("sidecar_disabled").summary(), Map.of(), RunPolicy.DEFAULT),
                TelemetryCalculator.compute(observation(RunState.COMPLETED, false, null, 20.0),
                        new RunContext(verdict.summary(), HardwareFlags.of(verdict.hardwareFlags()),
                                new HostTelemetry(71.5, 1.25, 2, 12.5, 55.0, 4.0, 3, "proc", List.of(),
                                        List.of(4243L)), Map.of(ExperimentalControl.THREADS,
                                        ControlApplication.notApplied(4, "llama-server takes threads only at start")),
                                Map.of(), null), RunPolicy.DEFAULT),
                TelemetryCalculator.compute(observation(RunState.COMPLETED, true, null, 20.0),
                        SidecarVerdict.notApplicable("sidecar_disabled").summary(), Map.of(), RunPolicy.DEFAULT)
                        .withServer(new ServerIdentity("b10587-3f545bec", "tiny-random-llama-Q8_0.gguf", "Q8_0", 512,
                                1, "llama", "2.23M")),
                TelemetryCalculator.compute(observation(RunState.FAILED, true, FailureKind.SERVER_ERROR, null),
                        SidecarVerdict.notApplicable("sidecar_disabled").summary(), Map.of(), RunPolicy.DEFAULT)
                        .withServer(new ServerIdentity(null, null, "Q4_K_M", null, null, null, null)),
                TelemetryCalculator.compute(observation(RunState.COMPLETED, true, null, null),
                        SidecarVerdict.notApplicable("nvidia_smi_unavailable").summary(), Map.of(), RunPolicy.DEFAULT),
                TelemetryCalculator.compute(observation(RunState.FAILED, true, FailureKind.SERVER_ERROR, null),
                        SidecarVerdict.notApplicable("sidecar_disabled").summary(), Map.of(), RunPolicy.DEFAULT),
                TelemetryCalculator.compute(observation(RunState.CANCELLED, false, null, null),
                        SidecarVerdict.notApplicable("sidecar_disabled").summary(), Map.of(), RunPolicy.DEFAULT));
    }

    @ParameterizedTest
    @MethodSource("records")
    @DisplayName("every record the code writes validates against docs/specs/run-telemetry.schema.json")
    void writtenRecordsValidate(RunTelemetry telemetry) throws IOException {
        String json = TelemetryJson.toJson(telemetry);
        Set<ValidationMessage> errors = schema().validate(MAPPER.readTree(json));

        assertThat(errors).as(json).isEmpty();
        assertThat(TelemetryJson.fromJson(json)).isEqualTo(telemetry);
    }

    @ParameterizedTest
    @MethodSource("records")
    @DisplayName("every record carries every key the schema requires, null where unknown")
    void everyKeyOnEveryPath(RunTelemetry telemetry) throws IOException {
        JsonNode node = MAPPER.readTree(TelemetryJson.toJson(telemetry));
        JsonNode required = MAPPER.readTree(SCHEMA.toFile()).get("required");

        for (JsonNode key : required) {
            assertThat(node.has(key.asText())).as(key.asText()).isTrue();
        }
        assertThat(node.get("execution_lane").asText()).isEqualTo("lab");
        assertThat(node.get("vram_profile").asText()).isEqualTo("stress");
    }

    @Test
    @DisplayName("the schema rejects a record whose failed run has no failure kind")
    void schemaIsNotVacuous() throws IOException {
        RunTelemetry failed = records().skip(3).findFirst().orElseThrow();
        JsonNode node = MAPPER.readTree(TelemetryJson.toJson(failed));
        ((com.fasterxml.jackson.databind.node.ObjectNode) node).putNull("failure_kind");

        assertThat(schema().validate(node)).isNotEmpty();
    }

    @Test
    @DisplayName("what the server serves is on the record: verified, mismatched, or null when either side is unknown")
    void serverIdentityFields() throws IOException {
        List<RunTelemetry> all = records().toList();
        JsonNode verified = MAPPER.readTree(TelemetryJson.toJson(all.get(2)));
        assertThat(verified.get("server_build").asText()).isEqualTo("b10587-3f545bec");
        assertThat(verified.get("server_model_file").asText()).isEqualTo("tiny-random-llama-Q8_0.gguf");
        assertThat(verified.get("served_quant_tag").asText()).isEqualTo("Q8_0");
        assertThat(verified.get("quant_tag_verified").asBoolean()).isTrue();
        assertThat(verified.get("server_context_size").asInt()).isEqualTo(4096);
        assertThat(verified.get("server_total_slots").asInt()).isEqualTo(1);
        JsonNode mismatched = MAPPER.readTree(TelemetryJson.toJson(all.get(3)));
        assertThat(mismatched.get("quant_tag_verified").asBoolean(true)).isFalse();
        assertThat(mismatched.get("server_context_size").isNull()).isTrue();
        JsonNode unknown = MAPPER.readTree(TelemetryJson.toJson(all.get(0)));
        assertThat(unknown.get("quant_tag_verified").isNull()).isTrue();
        assertThat(unknown.get("server_model_file").isNull()).isTrue();
    }

    @Test
    @DisplayName("a version-1 record committed as a fixture still reads and still validates")
    void versionOneFixtureReads() throws IOException {
        String v1 = resource("artifacts/run-telemetry-v1.json");

        RunTelemetry read = TelemetryJson.fromJson(v1);

        assertThat(read.schemaVersion()).isEqualTo(1);
        assertThat(read.identity().runId()).isEqualTo("run-7");
        assertThat(read.tokenMetrics().clientTtftMs().value()).isEqualTo(20.0);
        assertThat(schema().validate(MAPPER.readTree(v1))).isEmpty();
    }

    @Test
    @DisplayName("a record from a newer writer with keys this reader does not know still reads")
    void newerRecordReads() throws IOException {
        String newer = resource("artifacts/run-telemetry-v2-additive.json");

        RunTelemetry read = TelemetryJson.fromJson(newer);

        assertThat(read.schemaVersion()).isEqualTo(2);
        assertThat(read.identity().model()).isEqualTo("tiny");
        assertThat(read.validity().valid()).isTrue();
    }

    @Test
    @DisplayName("a record missing optional keys reads them as absent")
    void olderRecordWithoutOptionalKeysReads() throws IOException {
        String v1 = resource("artifacts/run-telemetry-v1.json");
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.readTree(v1);
        node.remove(List.of("server_context_size", "run_quality_details", "sidecar", "sidecar_parse_errors"));

        RunTelemetry read = TelemetryJson.fromJson(node.toString());

        assertThat(read.serverContextSize()).isNull();
        assertThat(read.qualityDetails()).isEmpty();
        assertThat(read.sidecar().sampleCount()).isZero();
    }

    @Test
    @DisplayName("a value of the wrong type is an error that names the field and the value; an unknown label is kept")
    void badValueNamesFieldAndValue() throws IOException {
        String v1 = resource("artifacts/run-telemetry-v1.json").replace("\"execution_lane\":\"lab\"",
                "\"execution_lane\":\"cloud\"");

        RunTelemetry read = TelemetryJson.fromJson(v1);
        assertThat(read.identity().executionLane()).isEqualTo(ExecutionLane.UNRECOGNIZED);
        assertThat(read.unrecognized("execution_lane")).containsExactly("cloud");
        assertThat(TelemetryJson.toJson(read)).contains("\"execution_lane\":\"cloud\"");
        assertThatThrownBy(() -> TelemetryJson.fromJson(v1.replace("\"execution_lane\":\"cloud\"",
                "\"execution_lane\":7")))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("execution_lane")
                .hasMessageContaining("7");
        String original = resource("artifacts/run-telemetry-v1.json");
        assertThatThrownBy(() -> TelemetryJson.fromJson(original.replace("\"chunk_count\":3", "\"chunk_count\":\"3\"")))
                .hasMessageContaining("chunk_count")
                .hasMessageContaining("3");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = RunTelemetrySchemaTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
