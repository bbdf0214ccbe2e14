package dev.orket.core.recommend;

/**
 * What one context of one quant must reach in a context sweep: the thresholds of a context sweep profile
 * ({@code profiles/context_sweep_profiles.json}) or of an inline {@code context_sweep}.
 *
 * @param adherenceMin the lowest median adherence (median {@code quality_score} of valid runs) that passes, in [0, 1]
 * @param ttftCeilingMs the highest median client TTFT in milliseconds that passes, &gt; 0
 * @param decodeFloorTps the lowest median generation speed in tokens per second that passes, &gt; 0
 * @since 0.1
 */
public record ContextThresholds(double adherenceMin, double ttftCeilingMs, double decodeFloorTps) {

    public ContextThresholds {
        if (!(adherenceMin >= 0 && adherenceMin <= 1)) {
            throw new IllegalArgumentException("adherence_min must be in [0, 1] but was " + adherenceMin);
        }
        if (!(ttftCeilingMs > 0) || Double.isInfinite(ttftCeilingMs)) {
            throw new IllegalArgumentException("ttft_ceiling_ms must be a finite number > 0 but was " + ttftCeilingMs);
        }
        if (!(decodeFloorTps > 0) || Double.isInfinite(decodeFloorTps)) {
            throw new IllegalArgumentException("decode_floor_tps must be a finite number > 0 but was "
                    + decodeFloorTps);
        }
    }
}
