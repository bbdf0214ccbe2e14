package dev.orket.api;

import org.jspecify.annotations.Nullable;

/**
 * What the GPU sidecar (or a GPU-reading gate) saw during a run: advisory, shown in summaries and reports,
 * never part of run quality, validity or a gate (Orket's first guardrail). Each code has an anchor in
 * {@code docs/reasons.md}.
 *
 * <p>Records written before these became flags carry the same codes in {@code run_quality_reasons}; a
 * reader moves them here and judges the run's validity again ({@link #fromLegacyQualityReason}).
 *
 * @since 0.1
 */
public enum HardwareFlag implements JsonNamed {
    /** The GPU reported a slowdown reason (power cap, HW slowdown, thermal, power brake) during the run. */
    GPU_THROTTLED,
    /** A process that is not the measured server's used the GPU during the run. */
    FOREIGN_GPU_PROCESS,
    /** VRAM use (or the pre-flight estimate) exceeded the VRAM profile's cap. */
    VRAM_CAP_EXCEEDED,
    /** The thermal gate timed out before the GPU cooled under its target. */
    THERMAL_NOT_SETTLED,
    /** A flag a newer writer recorded that this reader does not know; the record keeps the raw spelling. */
    UNRECOGNIZED;

    @Override
    public String jsonName() {
        return name();
    }

    public static HardwareFlag fromJson(String jsonName) {
        return JsonNamed.fromJson(HardwareFlag.class, jsonName);
    }

    /**
     * The flag an older record wrote as a run quality reason, or null when the code is not one of them.
     *
     * @param qualityReason a code read from {@code run_quality_reasons}
     */
    public static @Nullable HardwareFlag fromLegacyQualityReason(String qualityReason) {
        for (HardwareFlag flag : values()) {
            if (flag != UNRECOGNIZED && flag.jsonName().equals(qualityReason)) {
                return flag;
            }
        }
        return null;
    }
}
