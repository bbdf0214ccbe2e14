package dev.orket.api;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The advisory hardware flags of one run, sorted, with a human detail per flag where one is known (e.g.
 * {@code sw_thermal_slowdown} for {@link HardwareFlag#GPU_THROTTLED}). Never part of run quality or validity.
 *
 * @param flags sorted, distinct flags; empty when none
 * @param details a detail per flag; every key is one of {@code flags}
 * @since 0.1
 */
public record HardwareFlags(List<HardwareFlag> flags, Map<HardwareFlag, String> details) {

    /** No flag. */
    public static final HardwareFlags NONE = new HardwareFlags(List.of(), Map.of());

    public HardwareFlags {
        flags = flags.stream().distinct().sorted(Comparator.comparing(HardwareFlag::jsonName)).toList();
        details = Map.copyOf(details);
        for (HardwareFlag key : details.keySet()) {
            if (!flags.contains(key)) {
                throw new IllegalArgumentException("detail for " + key + " but the flags are " + flags);
            }
        }
    }

    /** The flags of a map of flags to details. */
    public static HardwareFlags of(Map<HardwareFlag, String> flagsWithDetails) {
        Map<HardwareFlag, String> copy = new EnumMap<>(HardwareFlag.class);
        flagsWithDetails.forEach((flag, detail) -> copy.put(Objects.requireNonNull(flag, "flag"),
                Objects.requireNonNull(detail, "detail")));
        return new HardwareFlags(List.copyOf(copy.keySet()), copy);
    }

    /** Whether the run carries the flag. */
    public boolean has(HardwareFlag flag) {
        return flags.contains(flag);
    }
}
