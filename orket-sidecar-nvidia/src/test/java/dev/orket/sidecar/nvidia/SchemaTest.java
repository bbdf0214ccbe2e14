package dev.orket.sidecar.nvidia;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.orket.api.ExecutionLane;
import dev.orket.api.GpuSample;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import dev.orket.api.VramProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Samples written as JSON match docs/specs/sidecar-sample.schema.json")
class SchemaTest {

    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        String text = Files.readString(Path.of("../docs/specs/sidecar-sample.schema.json"));
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(text);
    }

    @Test
    @DisplayName("every sample of every capture validates")
    void everySampleValidates() throws IOException {
        int validated = 0;
        for (Corpus.Capture c : Corpus.GPU_CAPTURES) {
            SidecarReading r = NvidiaSmiParser.parse(c.bytes(), c.fields());
            if (c.file().contains("compute-apps")) {
                r = NvidiaSmiParser.withComputeProcesses(
                        NvidiaSmiParser.parse(Corpus.read(
                                "nvidia-gpu-exporter__h100-80gb-hbm3__590.48.01__linux__load__query-gpu.csv"), null),
                        NvidiaSmiParser.parseComputeApps(c.bytes(), null));
            }
            for (GpuSample s : r.samples()) {
                String json = sampleJson(s);
                Set<ValidationMessage> errors = schema.validate(json, InputFormat.JSON);
                assertThat(errors).as(c.file() + ": " + json).isEmpty();
                validated++;
            }
        }
        assertThat(validated).isGreaterThanOrEqualTo(19);
    }

    @Test
    @DisplayName("a sample with every value absent still validates, each value written as null")
    void absentValuesAreNull() throws IOException {
        GpuSample empty = GpuSample.builder().build();
        String json = sampleJson(empty);
        assertThat(schema.validate(json, InputFormat.JSON)).isEmpty();
        assertThat(json).contains("\"gpu_uuid\":null", "\"power_draw_w\":null", "\"throttle_reasons\":null");
    }

    @Test
    @DisplayName("the reading's top level carries its labels, status, sorted errors and samples")
    void topLevel() throws IOException {
        SidecarReading r = new SidecarReading(List.of(), SidecarParseStatus.NOT_APPLICABLE,
                List.of("nvidia_smi_unavailable", "nvidia_smi_error:no_devices"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SidecarReadingJson.write(r, ExecutionLane.CI, VramProfile.STRESS, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"schema_version\":1,\"record_type\":"
                + "\"sidecar_reading\",\"execution_lane\":\"ci\",\"vram_profile\":\"stress\","
                + "\"sidecar_parse_status\":\"NOT_APPLICABLE\","
                + "\"sidecar_parse_errors\":[\"nvidia_smi_error:no_devices\",\"nvidia_smi_unavailable\"],\"samples\":[]}");
    }

    @Test
    @DisplayName("every sample of a reading carries its lane and profile, which the schema requires")
    void samplesCarryLabels() throws IOException {
        SidecarReading r = new SidecarReading(List.of(GpuSample.builder().gpuIndex(0).gpuUuid("GPU-a").gpuName("H200")
                .vramTotalMib(143771L).vramUsedMib(0L).build()), SidecarParseStatus.OK, List.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SidecarReadingJson.write(r, out);
        com.fasterxml.jackson.databind.JsonNode sample = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.toByteArray()).get("samples").get(0);
        assertThat(sample.get("execution_lane").asText()).isEqualTo("lab");
        assertThat(sample.get("vram_profile").asText()).isEqualTo("balanced");
        assertThat(schema.validate(sample.toString(), InputFormat.JSON)).isEmpty();
        ((com.fasterxml.jackson.databind.node.ObjectNode) sample).remove("execution_lane");
        assertThat(schema.validate(sample.toString(), InputFormat.JSON)).isNotEmpty();
    }

    /** The JSON of one sample, cut out of a one-sample reading. */
    private static String sampleJson(GpuSample s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SidecarReadingJson.write(new SidecarReading(List.of(s), SidecarParseStatus.OK, List.of()), out);
        String all = out.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"samples\":\\[(.*)\\]}$").matcher(all);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
