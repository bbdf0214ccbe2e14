package dev.orket.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.orket.api.ComputeProcess;
import dev.orket.api.GpuSample;
import dev.orket.api.ThrottleReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sweep artifacts")
class SweepArtifactsSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    @DisplayName("a sweep's GPU sample line validates against docs/specs/sidecar-sample.schema.json and carries lane and profile")
    void sampleLineValidates() throws IOException {
        SweepConfig config = SweepConfigReader.parse(String.format(SweepEngineTest.CONFIG, ""), "test.json");
        GpuSample sample = GpuSample.builder().offsetMs(200).gpuIndex(0).gpuUuid("GPU-1").gpuName("H100")
                .vramTotalMib(81559L).vramUsedMib(4000L).temperatureC(50.0)
                .throttleReasons(Set.of(ThrottleReason.GPU_IDLE))
                .computeProcesses(List.of(new ComputeProcess("GPU-1", 12, "llama-server", 3900L))).build();

        JsonNode line = MAPPER.readTree(SweepArtifacts.sampleJson("m/F16/s1/r1", config, sample));

        try (InputStream schema = Files.newInputStream(Path.of("..", "docs", "specs", "sidecar-sample.schema.json"))) {
            assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema).validate(line))
                    .isEmpty();
        }
        assertThat(line.get("execution_lane").asText()).isEqualTo("ci");
        assertThat(line.get("vram_profile").asText()).isEqualTo("balanced");
        assertThat(line.get("fan_speed_pct").isNull()).isTrue();
    }

    @Test
    @DisplayName("the manifest carries lane, profile, config digest and the resolved matrix")
    void manifest() throws IOException {
        String text = String.format(SweepEngineTest.CONFIG, "");
        SweepConfig config = SweepConfigReader.parse(text, "test.json");
        SweepPlan plan = SweepPlan.resolve(config, SweepEngineTest.PRECISION);

        JsonNode manifest = MAPPER.readTree(SweepArtifacts.manifestJson("s", config, SweepEngine.digest(text), plan,
                "fake", null, java.time.Instant.EPOCH));

        assertThat(manifest.get("execution_lane").asText()).isEqualTo("ci");
        assertThat(manifest.get("vram_profile").asText()).isEqualTo("balanced");
        assertThat(manifest.get("config_sha256").asText()).hasSize(64);
        assertThat(manifest.get("cells")).extracting(c -> c.get("quant").asText()).containsExactly("F16", "Q8_0", "Q4_K_M");
        assertThat(manifest.get("measured_runs_planned").asInt()).isEqualTo(18);
    }
}
