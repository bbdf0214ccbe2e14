package dev.orket.api;

/**
 * Why a GPU's clocks are held down, as nvidia-smi's {@code clocks_event_reasons.*} (formerly
 * {@code clocks_throttle_reasons.*}) report it.
 *
 * @since 0.1
 */
public enum ThrottleReason implements JsonNamed {
    GPU_IDLE("gpu_idle", 0x1L),
    APPLICATIONS_CLOCKS_SETTING("applications_clocks_setting", 0x2L),
    SW_POWER_CAP("sw_power_cap", 0x4L),
    HW_SLOWDOWN("hw_slowdown", 0x8L),
    SYNC_BOOST("sync_boost", 0x10L),
    SW_THERMAL_SLOWDOWN("sw_thermal_slowdown", 0x20L),
    HW_THERMAL_SLOWDOWN("hw_thermal_slowdown", 0x40L),
    HW_POWER_BRAKE_SLOWDOWN("hw_power_brake_slowdown", 0x80L),
    DISPLAY_CLOCK_SETTING("display_clock_setting", 0x100L),
    /** A spelling a newer writer used that this reader does not know; it has no NVML bit. */
    UNRECOGNIZED("unrecognized", 0L);

    private final String jsonName;
    private final long nvmlMask;

    ThrottleReason(String jsonName, long nvmlMask) {
        this.jsonName = jsonName;
        this.nvmlMask = nvmlMask;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    /** The bit NVML uses for this reason in {@code clocks_event_reasons.active}. */
    public long nvmlMask() {
        return nvmlMask;
    }

    /** Whether this reason means the GPU slowed down because of heat. */
    public boolean isThermal() {
        return this == SW_THERMAL_SLOWDOWN || this == HW_THERMAL_SLOWDOWN;
    }

    /** Whether this reason slows a busy GPU (idle, application clocks and display clocks do not). */
    public boolean isSlowdown() {
        return this == SW_POWER_CAP || this == HW_SLOWDOWN || this == SW_THERMAL_SLOWDOWN
                || this == HW_THERMAL_SLOWDOWN || this == HW_POWER_BRAKE_SLOWDOWN;
    }

    public static ThrottleReason fromJson(String jsonName) {
        return JsonNamed.fromJson(ThrottleReason.class, jsonName);
    }
}
