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
import java.io.Writer;

/**
 * Writes a {@link SidecarReading} as JSON with snake_case keys, each sample as
 * {@code docs/specs/sidecar-sample.schema.json} describes it.
 *
 * <p>Every key is always written; an absent value is JSON {@code null}, never {@code 0}. The reading and every
 * sample carry {@code execution_lane} and {@code vram_profile}. Output:
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
     * Writes {@code reading} to {@code out} as one UTF-8 JSON object labelled with the {@code lab} lane (the data
     * came from a real GPU) and the {@code balanced} profile; leaves {@code out} open.
     */
    public static void write(SidecarReading reading, OutputStream out) throws IOException {
        write(reading, ExecutionLane.LAB, VramProfile.BALANCED, out);
    }

    /** Writes {@code reading} to {@code out} as one UTF-8 JSON object with its labels; leaves {@code out} open. */
    public static void write(SidecarReading reading, ExecutionLane lane, VramProfile profile, OutputStream out)
            throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            write(reading, lane, profile, g);
        }
    }

    /** Writes {@code reading} to {@code out} labelled {@code lab}/{@code balanced}; leaves it open and flushed. */
    public static void write(SidecarReading reading, Writer out) throws IOException {
        write(reading, ExecutionLane.LAB, VramProfile.BALANCED, out);
    }

    /** Writes {@code reading} to {@code out} as one JSON object with its labels; leaves it open and flushed. */
    public static void write(SidecarReading reading, ExecutionLane lane, VramProfile profile, Writer out)
            throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(reading, lane, profile, g);
        }
    }

    private static void write(SidecarReading reading, ExecutionLane lane, VramProfile profile, JsonGenerator g)
            throws IOException {
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        writeLabels(g, "sidecar_reading", lane, profile);
        g.writeStringField("sidecar_parse_status", reading.parseStatus().jsonName());
        g.writeArrayFieldStart("sidecar_parse_errors");
        for (String e : reading.parseErrors()) {
            g.writeString(e);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("samples");
        for (GpuSample s : reading.samples()) {
            g.writeStartObject();
            // Every sample carries its labels, so that one cut out of the reading is still comparable.
            writeLabels(g, "gpu_sample", lane, profile);
            GpuSampleJson.writeFields(g, s);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeLabels(JsonGenerator g, String recordType, ExecutionLane lane, VramProfile profile)
            throws IOException {
        g.writeNumberField("schema_version", SchemaVersion.CURRENT);
        g.writeStringField("record_type", recordType);
        g.writeStringField("execution_lane", lane.jsonName());
        g.writeStringField("vram_profile", profile.jsonName());
    }
}
