package dev.orket.api;

/**
 * Why a run's measurement is polluted, from Orket's own telemetry and the server's API only. Each code has
 * an anchor in {@code docs/reasons.md}. What the GPU sidecar sees is never a quality reason: it is a
 * {@link HardwareFlag}, advisory.
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
    /** Part of the model did not fit in VRAM and ran from system memory (the server's API says so). */
    VRAM_SPILL,
    /** Processes other than the measured server and Orket used more of the host's CPU than the policy allows. */
    HIGH_CPU_SATURATION,
    /** The host's load, beyond what the measured server and Orket account for, exceeded the policy's maximum. */
    HIGH_SYSTEM_LOAD,
    /** The server's durations are implausible for their documented unit. */
    UNIT_ANOMALY,
    /** The server reported a number that is not finite, negative, or outside the documented plausible bounds. */
    IMPLAUSIBLE_SERVER_VALUE,
    /** Seed, temperature, threads, context size or affinity were requested but not applied (lab lane). */
    MISSING_EXPERIMENTAL_CONTROLS,
    /**
     * A reason a newer writer recorded that this reader does not know; the record keeps the raw spelling, and
     * the run stays invalid (an unknown reason is judged conservatively).
     */
    UNRECOGNIZED;

    @Override
    public String jsonName() {
        return name();
    }

    public static RunQualityReason fromJson(String jsonName) {
        return JsonNamed.fromJson(RunQualityReason.class, jsonName);
    }
}
