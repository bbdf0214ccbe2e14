package dev.orket.core.artifact;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.orket.api.ComputeProcess;
import dev.orket.api.ExecutionLane;
import dev.orket.api.GpuSample;
import dev.orket.api.JsonNamed;
import dev.orket.api.ThrottleReason;
import dev.orket.api.UnrecognizedLabel;
import dev.orket.api.VramProfile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads one GPU sample's fields with the canonical snake_case keys of
 * {@code docs/specs/sidecar-sample.schema.json}. Every key is always written; an absent value is
 * JSON {@code null}, never {@code 0}.
 *
 * @since 0.1
 */
public final class GpuSampleJson {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private GpuSampleJson() {}

    /** Writes the sample's fields into an object the caller opened. */
    public static void writeFields(JsonGenerator g, GpuSample s) throws IOException {
        g.writeNumberField("offset_ms", s.offsetMs());
        NullableFields.number(g, "gpu_index", s.gpuIndex() == null ? null : s.gpuIndex().longValue());
        NullableFields.string(g, "gpu_uuid", s.gpuUuid());
        NullableFields.string(g, "gpu_name", s.gpuName());
        NullableFields.number(g, "vram_total_mib", s.vramTotalMib());
        NullableFields.number(g, "vram_used_mib", s.vramUsedMib());
        NullableFields.number(g, "vram_free_mib", s.vramFreeMib());
        NullableFields.number(g, "vram_reserved_mib", s.vramReservedMib());
        NullableFields.string(g, "driver_version", s.driverVersion());
        NullableFields.number(g, "gpu_utilization_pct", s.gpuUtilizationPct());
        NullableFields.number(g, "memory_utilization_pct", s.memoryUtilizationPct());
        NullableFields.number(g, "temperature_c", s.temperatureC());
        NullableFields.number(g, "memory_temperature_c", s.memoryTemperatureC());
        NullableFields.number(g, "power_draw_w", s.powerDrawW());
        NullableFields.number(g, "power_limit_w", s.powerLimitW());
        NullableFields.number(g, "sm_clock_mhz", s.smClockMhz());
        NullableFields.number(g, "mem_clock_mhz", s.memClockMhz());
        NullableFields.string(g, "pstate", s.pstate());
        NullableFields.number(g, "fan_speed_pct", s.fanSpeedPct());
        g.writeFieldName("throttle_reasons");
        if (s.throttleReasons() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            // Enum order, so equal sets always serialise the same way.
            for (ThrottleReason r : ThrottleReason.values()) {
                if (s.throttleReasons().contains(r) && !r.unrecognized()) {
                    g.writeString(r.jsonName());
                }
            }
            g.writeEndArray();
        }
        g.writeFieldName("compute_processes");
        List<ComputeProcess> processes = s.computeProcesses();
        if (processes == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (ComputeProcess p : processes) {
                g.writeStartObject();
                NullableFields.string(g, "gpu_uuid", p.gpuUuid());
                g.writeNumberField("pid", p.pid());
                g.writeStringField("process_name", p.processName());
                NullableFields.number(g, "used_memory_mib", p.usedMemoryMib());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }

    /**
     * One GPU sample line as read back, e.g. a line of a sweep's {@code sidecar/<run>.jsonl}.
     *
     * @param runId the run the sample belongs to, or null when the line does not say
     * @param lane the lane the line carries, or null for a line written before every sample carried it
     * @param profile the profile the line carries, or null likewise
     * @param sample the sample
     * @param unrecognizedLabels label values a newer writer used that this reader does not know, kept raw (an
     *     unknown throttle reason is {@code UNRECOGNIZED} in the sample)
     * @since 0.1
     */
    public record SampleLine(@Nullable String runId, @Nullable ExecutionLane lane, @Nullable VramProfile profile,
            GpuSample sample, List<UnrecognizedLabel> unrecognizedLabels) {
        public SampleLine {
            java.util.Objects.requireNonNull(sample, "sample");
            unrecognizedLabels = List.copyOf(unrecognizedLabels);
        }
    }

    /**
     * Reads one sample object. Keys it does not know are skipped and label values it does not know are kept
     * raw, so a reader of version N reads what version N+1 writes.
     *
     * @throws ArtifactFormatException naming the field and the offending value
     */
    public static SampleLine fromJson(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ArtifactFormatException("a GPU sample must be a JSON object but started with "
                        + p.currentToken());
            }
            return read(p);
        } catch (IOException e) {
            throw new ArtifactFormatException("GPU sample is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static SampleLine read(JsonParser p) throws IOException {
        GpuSample.Builder b = GpuSample.builder();
        List<UnrecognizedLabel> labels = new ArrayList<>();
        String runId = null;
        ExecutionLane lane = null;
        VramProfile profile = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken token = p.nextToken();
            switch (name) {
                case "run_id":
                    runId = text(p, name);
                    break;
                case "execution_lane":
                    lane = label(ExecutionLane.class, text(p, name), name, labels);
                    break;
                case "vram_profile":
                    profile = label(VramProfile.class, text(p, name), name, labels);
                    break;
                case "offset_ms":
                    Double offset = number(p, name);
                    b.offsetMs(offset == null ? 0 : offset.longValue());
                    break;
                case "gpu_index":
                    Double index = number(p, name);
                    b.gpuIndex(index == null ? null : index.intValue());
                    break;
                case "gpu_uuid":
                    b.gpuUuid(text(p, name));
                    break;
                case "gpu_name":
                    b.gpuName(text(p, name));
                    break;
                case "vram_total_mib":
                    b.vramTotalMib(longOrNull(number(p, name)));
                    break;
                case "vram_used_mib":
                    b.vramUsedMib(longOrNull(number(p, name)));
                    break;
                case "vram_free_mib":
                    b.vramFreeMib(longOrNull(number(p, name)));
                    break;
                case "vram_reserved_mib":
                    b.vramReservedMib(longOrNull(number(p, name)));
                    break;
                case "driver_version":
                    b.driverVersion(text(p, name));
                    break;
                case "gpu_utilization_pct":
                    b.gpuUtilizationPct(number(p, name));
                    break;
                case "memory_utilization_pct":
                    b.memoryUtilizationPct(number(p, name));
                    break;
                case "temperature_c":
                    b.temperatureC(number(p, name));
                    break;
                case "memory_temperature_c":
                    b.memoryTemperatureC(number(p, name));
                    break;
                case "power_draw_w":
                    b.powerDrawW(number(p, name));
                    break;
                case "power_limit_w":
                    b.powerLimitW(number(p, name));
                    break;
                case "sm_clock_mhz":
                    b.smClockMhz(number(p, name));
                    break;
                case "mem_clock_mhz":
                    b.memClockMhz(number(p, name));
                    break;
                case "pstate":
                    b.pstate(text(p, name));
                    break;
                case "fan_speed_pct":
                    b.fanSpeedPct(number(p, name));
                    break;
                case "throttle_reasons":
                    if (token == JsonToken.VALUE_NULL) {
                        b.throttleReasons(null);
                        break;
                    }
                    expectArray(p, name);
                    java.util.Set<ThrottleReason> reasons = java.util.EnumSet.noneOf(ThrottleReason.class);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        reasons.add(label(ThrottleReason.class, text(p, name), name, labels));
                    }
                    b.throttleReasons(reasons);
                    break;
                case "compute_processes":
                    if (token == JsonToken.VALUE_NULL) {
                        b.computeProcesses(null);
                        break;
                    }
                    expectArray(p, name);
                    List<ComputeProcess> processes = new ArrayList<>();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        processes.add(process(p, name));
                    }
                    b.computeProcesses(processes);
                    break;
                default:
                    // A key from a newer schema version: additive evolution means it is safe to skip.
                    p.skipChildren();
            }
        }
        return new SampleLine(runId, lane, profile, b.build(), labels);
    }

    private static ComputeProcess process(JsonParser p, String name) throws IOException {
        String uuid = null;
        long pid = -1;
        String processName = "";
        Long memory = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "gpu_uuid":
                    uuid = text(p, name + ".gpu_uuid");
                    break;
                case "pid":
                    Double value = number(p, name + ".pid");
                    pid = value == null ? -1 : value.longValue();
                    break;
                case "process_name":
                    String text = text(p, name + ".process_name");
                    processName = text == null ? "" : text;
                    break;
                case "used_memory_mib":
                    memory = longOrNull(number(p, name + ".used_memory_mib"));
                    break;
                default:
                    p.skipChildren();
            }
        }
        return new ComputeProcess(uuid, pid, processName, memory);
    }

    private static <E extends Enum<E> & JsonNamed> @Nullable E label(Class<E> type, @Nullable String text,
            String field, List<UnrecognizedLabel> labels) {
        if (text == null) {
            return null;
        }
        E value = JsonNamed.fromArtifact(type, text);
        if (value.unrecognized()) {
            labels.add(new UnrecognizedLabel(field, text));
        }
        return value;
    }

    private static void expectArray(JsonParser p, String name) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new ArtifactFormatException("field " + name + " must be an array or null but was '" + p.getText()
                    + "'");
        }
    }

    private static @Nullable String text(JsonParser p, String name) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new ArtifactFormatException("field " + name + " must be a string but was '" + p.getText() + "'");
        }
        return p.getText();
    }

    private static @Nullable Double number(JsonParser p, String name) throws IOException {
        return TelemetryJson.nullableDouble(name, p);
    }

    private static @Nullable Long longOrNull(@Nullable Double value) {
        return value == null ? null : Long.valueOf(value.longValue());
    }
}
