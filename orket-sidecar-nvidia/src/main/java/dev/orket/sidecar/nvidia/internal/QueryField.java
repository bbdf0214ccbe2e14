package dev.orket.sidecar.nvidia.internal;

import dev.orket.api.ThrottleReason;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where one nvidia-smi field goes in a sample: the table from {@code --query-gpu} names (old and new
 * spellings) to canonical keys, documented in {@code docs/sidecars/nvidia-smi.md}.
 *
 * @param key the canonical key the field feeds
 * @param priority 0 for the preferred source of the key, higher for fallbacks
 * @param flag for a per-reason throttle column, its reason; null for the bitmask and every other field
 */
public record QueryField(CanonicalKey key, int priority, @Nullable ThrottleReason flag) {

    /** The fields the sidecar asks for when the settings name none, most useful first. */
    public static final List<String> DEFAULT_QUERY = List.of(
            "index", "uuid", "name", "driver_version", "pstate", "memory.total", "memory.reserved",
            "memory.used", "memory.free", "utilization.gpu", "utilization.memory", "temperature.gpu",
            "temperature.memory", "power.draw", "enforced.power.limit", "clocks.sm", "clocks.mem",
            "clocks_event_reasons.active", "fan.speed");

    /** Per-reason suffixes as nvidia-smi spells them in CSV names and XML element names. */
    private static final Map<String, ThrottleReason> FLAG_SUFFIXES = Map.of(
            "gpu_idle", ThrottleReason.GPU_IDLE,
            "applications_clocks_setting", ThrottleReason.APPLICATIONS_CLOCKS_SETTING,
            "user_defined_clocks", ThrottleReason.APPLICATIONS_CLOCKS_SETTING,
            "sw_power_cap", ThrottleReason.SW_POWER_CAP,
            "hw_slowdown", ThrottleReason.HW_SLOWDOWN,
            "sync_boost", ThrottleReason.SYNC_BOOST,
            "sw_thermal_slowdown", ThrottleReason.SW_THERMAL_SLOWDOWN,
            "hw_thermal_slowdown", ThrottleReason.HW_THERMAL_SLOWDOWN,
            "hw_power_brake_slowdown", ThrottleReason.HW_POWER_BRAKE_SLOWDOWN,
            "display_clock_setting", ThrottleReason.DISPLAY_CLOCK_SETTING);

    // After FLAG_SUFFIXES: building the table reads it.
    private static final Map<String, QueryField> BY_NAME = table();

    /**
     * The binding of a field name as it appears in a query or header ({@code memory.used [MiB]} and
     * {@code memory.used} alike), or null when the field feeds no canonical key.
     */
    public static @Nullable QueryField lookup(String name) {
        return BY_NAME.get(normalize(name));
    }

    /** The field name without its {@code [unit]} suffix, trimmed and lower-cased. */
    public static String normalize(String name) {
        String n = name.trim();
        int bracket = n.indexOf(" [");
        if (bracket >= 0 && n.endsWith("]")) {
            n = n.substring(0, bracket).trim();
        }
        return n.toLowerCase(Locale.ROOT);
    }

    /** The reason an XML or CSV per-reason suffix names ({@code display_clocks_setting} included), or null. */
    public static @Nullable ThrottleReason flagSuffix(String suffix) {
        String s = suffix.toLowerCase(Locale.ROOT);
        if (s.equals("display_clocks_setting")) {
            return ThrottleReason.DISPLAY_CLOCK_SETTING;
        }
        return FLAG_SUFFIXES.get(s);
    }

    /** Feeds one raw token of this field into the sample being built. */
    public void apply(SampleFields fields, String raw) {
        if (key != CanonicalKey.THROTTLE_REASONS) {
            fields.offer(key, priority, raw);
        } else if (flag == null) {
            fields.offerThrottleMask(raw);
        } else {
            fields.offerThrottleFlag(flag, raw);
        }
    }

    private static Map<String, QueryField> table() {
        Map<String, QueryField> m = new HashMap<>();
        put(m, CanonicalKey.GPU_INDEX, 0, "index");
        put(m, CanonicalKey.GPU_UUID, 0, "uuid", "gpu_uuid");
        put(m, CanonicalKey.GPU_NAME, 0, "name", "gpu_name");
        put(m, CanonicalKey.VRAM_TOTAL_MIB, 0, "memory.total");
        put(m, CanonicalKey.VRAM_USED_MIB, 0, "memory.used");
        put(m, CanonicalKey.VRAM_FREE_MIB, 0, "memory.free");
        put(m, CanonicalKey.VRAM_RESERVED_MIB, 0, "memory.reserved");
        put(m, CanonicalKey.DRIVER_VERSION, 0, "driver_version");
        put(m, CanonicalKey.GPU_UTILIZATION_PCT, 0, "utilization.gpu");
        put(m, CanonicalKey.MEMORY_UTILIZATION_PCT, 0, "utilization.memory");
        put(m, CanonicalKey.TEMPERATURE_C, 0, "temperature.gpu");
        put(m, CanonicalKey.MEMORY_TEMPERATURE_C, 0, "temperature.memory");
        // power.draw is a 1 s average on Ampere and newer; Blackwell/580 prints it as N/A, so fall back.
        put(m, CanonicalKey.POWER_DRAW_W, 0, "power.draw");
        put(m, CanonicalKey.POWER_DRAW_W, 1, "power.draw.average");
        put(m, CanonicalKey.POWER_DRAW_W, 2, "power.draw.instant");
        // The enforced limit is the one that throttles; the software limit is only requested.
        put(m, CanonicalKey.POWER_LIMIT_W, 0, "enforced.power.limit", "gpu.power.current_limit");
        put(m, CanonicalKey.POWER_LIMIT_W, 1, "power.limit", "gpu.power.requested_limit");
        put(m, CanonicalKey.SM_CLOCK_MHZ, 0, "clocks.current.sm", "clocks.sm");
        put(m, CanonicalKey.MEM_CLOCK_MHZ, 0, "clocks.current.memory", "clocks.mem");
        put(m, CanonicalKey.PSTATE, 0, "pstate");
        put(m, CanonicalKey.FAN_SPEED_PCT, 0, "fan.speed");
        for (String prefix : List.of("clocks_event_reasons.", "clocks_throttle_reasons.")) {
            m.put(prefix + "active", new QueryField(CanonicalKey.THROTTLE_REASONS, 0, null));
            for (String suffix : List.of("gpu_idle", "applications_clocks_setting", "user_defined_clocks",
                    "sw_power_cap", "hw_slowdown", "sync_boost", "sw_thermal_slowdown", "hw_thermal_slowdown",
                    "hw_power_brake_slowdown", "display_clock_setting", "display_clocks_setting")) {
                m.put(prefix + suffix, new QueryField(CanonicalKey.THROTTLE_REASONS, 1, flagSuffix(suffix)));
            }
        }
        return Map.copyOf(m);
    }

    private static void put(Map<String, QueryField> m, CanonicalKey key, int priority, String... names) {
        for (String n : names) {
            m.put(n, new QueryField(key, priority, null));
        }
    }
}
