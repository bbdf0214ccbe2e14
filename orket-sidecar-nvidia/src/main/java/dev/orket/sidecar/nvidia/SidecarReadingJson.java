package dev.orket.sidecar.nvidia;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.orket.api.ExecutionLane;
import dev.orket.api.GpuSample;
import dev.orket.api.SidecarReading;
import dev.orket.api.VramProfile;
import dev.orket.core.artifact.GpuSampleJson;
import dev.orket.core.artifact.SchemaVersion;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a {@link SidecarReading} as JSON with snake_case keys, each sample as
 * {@code docs/specs/sidecar-sample.schema.json} describes it.
 *
 * <p>Every key is always written; an absent value is JSON {@code null}, never {@code 0}. Output:
 * <pre>
 * {"schema_version":1,"record_type":"sidecar_reading","execution_lane":"lab","vram_profile":"balanced",
 *  "sidecar_parse_status":"OPTIONAL_FIELD_MISSING","sidecar_parse_errors":["missing:fan_speed_pct"],
 *  "samples":[{"schema_version":1,"record_type":"gpu_sample","execution_lane":"lab","vram_profile":"balanced",
 *   "offset_ms":0,"gpu_index":0,"gpu_uuid":"GPU-…","gpu_name":"NVIDIA H200",…,"fan_speed_pct":null,…}]}
 * </pre>
 *
 * @since 0.1
 */
public final class SidecarReadingJson {

    private static final JsonFactory JSON = new JsonFactory();

    private SidecarReadingJson() {}

    /**
     * Writes {@code reading} to {@code out} as one UTF-8 JSON object labelled with the {@code lab} lane (the
     * data came from a real GPU) and the {@code balanced} profile; leaves {@code out} open.
     */
    public static void write(SidecarReading reading, OutputStream out) throws IOException {
        write(reading, ExecutionLane.LAB, VramProfile.BALANCED, out);
    }

    /**
     * Writes {@code reading} to {@code out} as one UTF-8 JSON object; the reading and every sample carry the
     * lane and profile; leaves {@code out} open.
     */
    public static void write(SidecarReading reading, ExecutionLane lane, VramProfile profile, OutputStream out)
            throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeNumberField("schema_version", SchemaVersion.CURRENT);
            g.writeStringField("record_type", "sidecar_reading");
            g.writeStringField("execution_lane", lane.jsonName());
            g.writeStringField("vram_profile", profile.jsonName());
            g.writeStringField("sidecar_parse_status", reading.parseStatus().jsonName());
            g.writeArrayFieldStart("sidecar_parse_errors");
            for (String e : reading.parseErrors()) {
                g.writeString(e);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("samples");
            for (GpuSample s : reading.samples()) {
                writeSample(g, s, lane, profile);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void writeSample(JsonGenerator g, GpuSample s, ExecutionLane lane, VramProfile profile)
            throws IOException {
        g.writeStartObject();
        g.writeNumberField("schema_version", SchemaVersion.CURRENT);
        g.writeStringField("record_type", "gpu_sample");
        g.writeStringField("execution_lane", lane.jsonName());
        g.writeStringField("vram_profile", profile.jsonName());
        GpuSampleJson.writeFields(g, s);
        g.writeEndObject();
    }
}
