package dev.orket.core.kpi;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where per-run quality scores come from: joined to telemetry records by {@code run_id}. A run
 * without a score has none; it is counted in {@code runs_without_quality_score} and never
 * defaulted.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface QualityScores {

    /** The score in [0, 1] of the run, or null when it was not scored. */
    @Nullable Double scoreOf(String runId);

    /** No scores at all. */
    static QualityScores none() {
        return runId -> null;
    }

    /** Scores from a {@code run_id → score} map, copied. */
    static QualityScores of(Map<String, Double> scoresByRunId) {
        Map<String, Double> copy = Map.copyOf(scoresByRunId);
        for (Map.Entry<String, Double> entry : copy.entrySet()) {
            double score = entry.getValue();
            if (!(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException("quality score of run " + entry.getKey() + " must be in [0, 1] but was "
                        + score);
            }
        }
        return copy::get;
    }
}
