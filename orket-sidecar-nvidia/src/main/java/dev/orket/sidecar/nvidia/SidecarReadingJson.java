package dev.orket.sidecar.nvidia;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.orket.api.GpuSample;
import dev.orket.api.SidecarReading;
import dev.orket.core.artifact.GpuSampleJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;

/**
 * Writes a {@link SidecarReading} as JSON with snake_case keys, each sample as
 * {@code docs/specs/sidecar-sample.schema.json} describes it.
 *
 * <p>Every key is always written; an absent value is JSON {@code null}, never {@code 0}. Output:
 * <pre>
 * {"sidecar_parse_status":"OPTIONAL_FIELD_MISSING","sidecar_parse_errors":["missing:fan_speed_pct"],
 *  "samples":[{"offset_ms":0,"gpu_index":0,"gpu_uuid":"GPU-…","gpu_name":"NVIDIA H200",…,"fan_speed_pct":null,…}]}
 * </pre>
 *
 * @since 0.1
 */
public final class SidecarReadingJson {

    private static final JsonFactory JSON = new JsonFactory();

    private SidecarReadingJson() {}

    /** Writes {@code reading} to {@code out} as one UTF-8 JSON object; leaves {@code out} open. */
    public static void write(SidecarReading reading, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            write(reading, g);
        }
    }

    /** Writes {@code reading} to {@code out} as one JSON object; leaves {@code out} open and flushed. */
    public static void write(SidecarReading reading, Writer out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(reading, g);
        }
    }

    private static void write(SidecarReading reading, JsonGenerator g) throws IOException {
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeStringField("sidecar_parse_status", reading.parseStatus().jsonName());
        g.writeArrayFieldStart("sidecar_parse_errors");
        for (String e : reading.parseErrors()) {
            g.writeString(e);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("samples");
        for (GpuSample s : reading.samples()) {
            writeSample(g, s);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeSample(JsonGenerator g, GpuSample s) throws IOException {
        g.writeStartObject();
        GpuSampleJson.writeFields(g, s);
        g.writeEndObject();
    }
}
