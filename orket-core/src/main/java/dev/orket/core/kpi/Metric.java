package dev.orket.core.kpi;

import dev.orket.api.JsonNamed;

/**
 * A figure aggregated per cell. Each owns its snake_case JSON name, which carries its unit.
 *
 * @since 0.1
 */
public enum Metric implements JsonNamed {
    /** Client time to first token, in milliseconds (streaming runs only). */
    CLIENT_TTFT_MS("client_ttft_ms"),
    /** Output tokens per second of server generation time: the headline speed. */
    GENERATION_TOKENS_PER_SECOND("generation_tokens_per_second"),
    /** Uncached prompt tokens per second of server prompt time. */
    PROMPT_TOKENS_PER_SECOND("prompt_tokens_per_second"),
    /** Client wall time from request sent to terminal state, in seconds. */
    WALL_SECONDS("wall_seconds"),
    /** max(0, (wall − internal) / wall). */
    ORCHESTRATION_OVERHEAD_RATIO("orchestration_overhead_ratio"),
    /** Per-run quality score in [0, 1] from the session's scorer. */
    QUALITY_SCORE("quality_score"),
    /** Highest VRAM used over the run per the GPU sidecar, in MiB. */
    PEAK_VRAM_USED_MB("peak_vram_used_mb");

    private final String jsonName;

    Metric(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    public static Metric fromJson(String jsonName) {
        return JsonNamed.fromJson(Metric.class, jsonName);
    }
}
