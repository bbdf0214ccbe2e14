package dev.orket.api;

/**
 * Why a run's measurement is polluted. Each code has an anchor in {@code docs/reasons.md}.
 *
 * @since 0.1
 */
public enum RunQualityReason implements JsonNamed {
    /** The server reported no prompt or generation duration. */
    MISSING_TOKEN_TIMINGS,
    /** Wall time exceeds the server's model time by more than the policy's ratio. */
    HIGH_ORCHESTRATION_OVERHEAD,
    /** The model was loaded during a measured run. */
    COLD_MODEL_LOAD,
    /** The prompt was cut to fit the context, or exceeded it. */
    PROMPT_TRUNCATED,
    /** Prompt tokens came from the KV cache on a run meant to be cold. */
    PROMPT_CACHE_HIT,
    /** Part of the model did not fit in VRAM and ran from system memory. */
    VRAM_SPILL,
    /** VRAM use exceeded the profile's cap. */
    VRAM_CAP_EXCEEDED,
    /** The GPU did not cool below the thermal target before the run. */
    THERMAL_NOT_SETTLED,
    /** The GPU reported a slowdown reason (thermal, power) during the run. */
    GPU_THROTTLED,
    /** Another process used the GPU during the run. */
    FOREIGN_GPU_PROCESS,
    /** The host was busy with other work during the run. */
    HIGH_SYSTEM_LOAD,
    /** The server's durations are implausible for their documented unit. */
    UNIT_ANOMALY,
    /** Seed, threads or affinity were not passed to, or not honoured by, the server. */
    MISSING_EXPERIMENTAL_CONTROLS;

    @Override
    public String jsonName() {
        return name();
    }

    public static RunQualityReason fromJson(String jsonName) {
        return JsonNamed.fromJson(RunQualityReason.class, jsonName);
    }
}
