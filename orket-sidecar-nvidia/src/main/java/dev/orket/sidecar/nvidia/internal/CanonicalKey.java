package dev.orket.sidecar.nvidia.internal;

import org.jspecify.annotations.Nullable;

/**
 * One canonical field of a {@code GpuSample}, with its JSON name, whether it is required and the
 * unit nvidia-smi may print after its value.
 */
public enum CanonicalKey {
    GPU_INDEX("gpu_index", true, Kind.INTEGER, null),
    GPU_UUID("gpu_uuid", true, Kind.TEXT, null),
    GPU_NAME("gpu_name", true, Kind.TEXT, null),
    VRAM_TOTAL_MIB("vram_total_mib", true, Kind.INTEGER, "MiB"),
    VRAM_USED_MIB("vram_used_mib", true, Kind.INTEGER, "MiB"),
    VRAM_FREE_MIB("vram_free_mib", false, Kind.INTEGER, "MiB"),
    VRAM_RESERVED_MIB("vram_reserved_mib", false, Kind.INTEGER, "MiB"),
    DRIVER_VERSION("driver_version", false, Kind.TEXT, null),
    GPU_UTILIZATION_PCT("gpu_utilization_pct", false, Kind.DECIMAL, "%"),
    MEMORY_UTILIZATION_PCT("memory_utilization_pct", false, Kind.DECIMAL, "%"),
    TEMPERATURE_C("temperature_c", false, Kind.DECIMAL, "C"),
    MEMORY_TEMPERATURE_C("memory_temperature_c", false, Kind.DECIMAL, "C"),
    POWER_DRAW_W("power_draw_w", false, Kind.DECIMAL, "W"),
    POWER_LIMIT_W("power_limit_w", false, Kind.DECIMAL, "W"),
    SM_CLOCK_MHZ("sm_clock_mhz", false, Kind.DECIMAL, "MHz"),
    MEM_CLOCK_MHZ("mem_clock_mhz", false, Kind.DECIMAL, "MHz"),
    PSTATE("pstate", false, Kind.PSTATE, null),
    FAN_SPEED_PCT("fan_speed_pct", false, Kind.DECIMAL, "%"),
    THROTTLE_REASONS("throttle_reasons", false, Kind.THROTTLE, null),
    COMPUTE_PROCESSES("compute_processes", false, Kind.PROCESSES, null);

    /** How a raw token of this field is read. */
    public enum Kind {
        INTEGER,
        DECIMAL,
        TEXT,
        PSTATE,
        THROTTLE,
        PROCESSES
    }

    private final String jsonName;
    private final boolean required;
    private final Kind kind;
    private final @Nullable String unit;

    CanonicalKey(String jsonName, boolean required, Kind kind, @Nullable String unit) {
        this.jsonName = jsonName;
        this.required = required;
        this.kind = kind;
        this.unit = unit;
    }

    /** The snake_case key used in sidecar samples and error codes, never null. */
    public String jsonName() {
        return jsonName;
    }

    /** Whether a sample without this field makes the reading {@code REQUIRED_FIELD_MISSING}. */
    public boolean required() {
        return required;
    }

    /** How the raw token is read. */
    public Kind kind() {
        return kind;
    }

    /** The unit nvidia-smi may append to the value, or null when it never appends one. */
    public @Nullable String unit() {
        return unit;
    }
}
