package dev.orket.core.kpi;

import dev.orket.api.JsonNamed;

/**
 * How a cell's quantiles were computed.
 *
 * @since 0.1
 */
public enum Estimator implements JsonNamed {
    /** Exact order statistics of every value. */
    EXACT("exact"),
    /** A log-bucket sketch with relative error at most {@link ValueDistribution#SKETCH_RELATIVE_ACCURACY}. */
    LOG_BUCKET_SKETCH("log_bucket_sketch");

    private final String jsonName;

    Estimator(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }
}
