package dev.orket.sidecar.nvidia.internal;

import dev.orket.api.ComputeProcess;
import dev.orket.api.GpuSample;
import dev.orket.api.ThrottleReason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The raw tokens one GPU reported in one round, by canonical key, from any input format; turns them
 * into a {@link GpuSample} and records what was absent or unreadable.
 *
 * <p>A key may have several sources (e.g. {@code power.draw}, {@code power.draw.average},
 * {@code power.draw.instant}); the source with the lowest priority number that holds a value wins.
 * An optional key is <em>expected</em> when at least one of its sources was present in the input;
 * an expected key without a value is {@code missing:<key>}. Required keys are always expected.
 */
public final class SampleFields {

    private static final Pattern HEX_MASK = Pattern.compile("0[xX][0-9A-Fa-f]{1,16}");

    private record Source(int priority, String raw) {}

    private final EnumMap<CanonicalKey, List<Source>> sources = new EnumMap<>(CanonicalKey.class);
    private @Nullable String throttleMask;
    private final EnumMap<ThrottleReason, String> throttleFlags = new EnumMap<>(ThrottleReason.class);
    private @Nullable List<ComputeProcess> processes;

    /** Offers a raw token for {@code key} from a source of the given priority (0 is best). */
    public void offer(CanonicalKey key, int priority, String raw) {
        sources.computeIfAbsent(key, k -> new ArrayList<>()).add(new Source(priority, raw.trim()));
    }

    /** Offers a {@code clocks_event_reasons.active} bitmask such as {@code 0x0000000000000004}. */
    public void offerThrottleMask(String raw) {
        String token = raw.trim();
        if (throttleMask == null || ValueToken.isAbsent(throttleMask)) {
            throttleMask = token;
        }
    }

    /** Offers one per-reason column or element, {@code Active} or {@code Not Active}. */
    public void offerThrottleFlag(ThrottleReason reason, String raw) {
        throttleFlags.putIfAbsent(reason, raw.trim());
    }

    /** Sets the processes found on this GPU (an empty list when it reported none). */
    public void processes(List<ComputeProcess> value) {
        processes = List.copyOf(value);
    }

    /** The raw token the best source of {@code key} holds, or null when none holds a value. */
    public @Nullable String rawValue(CanonicalKey key) {
        for (Source s : sorted(key)) {
            if (!ValueToken.isAbsent(s.raw())) {
                return s.raw();
            }
        }
        return null;
    }

    /** Builds the sample, recording every absent or unreadable expected field in {@code findings}. */
    public GpuSample toSample(long offsetMs, Findings findings) {
        GpuSample.Builder b = GpuSample.builder().offsetMs(offsetMs);
        Long index = integer(CanonicalKey.GPU_INDEX, findings);
        if (index != null && (index < 0 || index > Integer.MAX_VALUE)) {
            findings.invalid(CanonicalKey.GPU_INDEX, Long.toString(index));
            index = null;
        }
        b.gpuIndex(index == null ? null : index.intValue());
        b.gpuUuid(text(CanonicalKey.GPU_UUID, findings));
        b.gpuName(text(CanonicalKey.GPU_NAME, findings));
        b.vramTotalMib(integer(CanonicalKey.VRAM_TOTAL_MIB, findings));
        b.vramUsedMib(integer(CanonicalKey.VRAM_USED_MIB, findings));
        b.vramFreeMib(integer(CanonicalKey.VRAM_FREE_MIB, findings));
        b.vramReservedMib(integer(CanonicalKey.VRAM_RESERVED_MIB, findings));
        b.driverVersion(text(CanonicalKey.DRIVER_VERSION, findings));
        b.gpuUtilizationPct(decimal(CanonicalKey.GPU_UTILIZATION_PCT, findings));
        b.memoryUtilizationPct(decimal(CanonicalKey.MEMORY_UTILIZATION_PCT, findings));
        b.temperatureC(decimal(CanonicalKey.TEMPERATURE_C, findings));
        b.memoryTemperatureC(decimal(CanonicalKey.MEMORY_TEMPERATURE_C, findings));
        b.powerDrawW(decimal(CanonicalKey.POWER_DRAW_W, findings));
        b.powerLimitW(decimal(CanonicalKey.POWER_LIMIT_W, findings));
        b.smClockMhz(decimal(CanonicalKey.SM_CLOCK_MHZ, findings));
        b.memClockMhz(decimal(CanonicalKey.MEM_CLOCK_MHZ, findings));
        b.pstate(pstate(findings));
        b.fanSpeedPct(decimal(CanonicalKey.FAN_SPEED_PCT, findings));
        b.throttleReasons(throttle(findings));
        b.computeProcesses(processes);
        return b.build();
    }

    private List<Source> sorted(CanonicalKey key) {
        List<Source> list = new ArrayList<>(sources.getOrDefault(key, List.of()));
        list.sort(Comparator.comparingInt(Source::priority));
        return list;
    }

    /** The decisive token of {@code key}, recording {@code missing} when an expected key has none. */
    private @Nullable String decisive(CanonicalKey key, Findings findings) {
        String raw = rawValue(key);
        if (raw == null && (key.required() || sources.containsKey(key))) {
            findings.missing(key);
        }
        return raw;
    }

    private @Nullable String text(CanonicalKey key, Findings findings) {
        return decisive(key, findings);
    }

    private @Nullable Long integer(CanonicalKey key, Findings findings) {
        String raw = decisive(key, findings);
        if (raw == null) {
            return null;
        }
        Long value = ValueToken.integer(raw, key);
        if (value == null) {
            findings.invalid(key, raw);
        }
        return value;
    }

    private @Nullable Double decimal(CanonicalKey key, Findings findings) {
        String raw = decisive(key, findings);
        if (raw == null) {
            return null;
        }
        Double value = ValueToken.decimal(raw, key);
        if (value == null) {
            findings.invalid(key, raw);
        }
        return value;
    }

    private @Nullable String pstate(Findings findings) {
        String raw = decisive(CanonicalKey.PSTATE, findings);
        if (raw != null && !ValueToken.isPstate(raw)) {
            findings.invalid(CanonicalKey.PSTATE, raw);
            return null;
        }
        return raw;
    }

    private @Nullable Set<ThrottleReason> throttle(Findings findings) {
        CanonicalKey key = CanonicalKey.THROTTLE_REASONS;
        String mask = throttleMask;
        if (mask != null && !ValueToken.isAbsent(mask)) {
            if (!HEX_MASK.matcher(mask).matches()) {
                findings.invalid(key, mask);
                return null;
            }
            long bits = Long.parseUnsignedLong(mask.substring(2), 16);
            Set<ThrottleReason> reasons = EnumSet.noneOf(ThrottleReason.class);
            long known = 0L;
            for (ThrottleReason r : ThrottleReason.values()) {
                known |= r.nvmlMask();
                if ((bits & r.nvmlMask()) != 0) {
                    reasons.add(r);
                }
            }
            long unknown = bits & ~known;
            if (unknown != 0) {
                // NVML may add reasons; keep the known ones and name the bits we could not decode.
                findings.add(String.format(Locale.ROOT, "unknown_throttle_reason:0x%016X", unknown), Severity.OPTIONAL);
            }
            return reasons;
        }
        boolean anyFlag = false;
        boolean invalid = false;
        Set<ThrottleReason> reasons = EnumSet.noneOf(ThrottleReason.class);
        for (var e : throttleFlags.entrySet()) {
            String raw = e.getValue();
            if (ValueToken.isAbsent(raw)) {
                continue;
            }
            anyFlag = true;
            if (raw.equals("Active")) {
                reasons.add(e.getKey());
            } else if (!raw.equals("Not Active")) {
                findings.invalid(key, raw);
                invalid = true;
            }
        }
        if (anyFlag) {
            return invalid ? null : reasons;
        }
        if (mask != null || !throttleFlags.isEmpty()) {
            findings.missing(key);
        }
        return null;
    }
}
