package dev.orket.core.artifact;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.orket.api.ComputeProcess;
import dev.orket.api.GpuSample;
import dev.orket.api.ThrottleReason;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes one GPU sample's fields with the canonical snake_case keys of
 * {@code docs/specs/sidecar-sample.schema.json}. Every key is always written; an absent value is
 * JSON {@code null}, never {@code 0}.
 *
 * @since 0.1
 */
public final class GpuSampleJson {

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
                if (s.throttleReasons().contains(r)) {
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



}
