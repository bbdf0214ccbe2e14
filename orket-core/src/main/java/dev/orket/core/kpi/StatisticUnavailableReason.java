package dev.orket.core.kpi;

import dev.orket.api.JsonNamed;

/**
 * Why a statistic of a cell is absent.
 *
 * @since 0.1
 */
public enum StatisticUnavailableReason implements JsonNamed {
    /** The cell has no value of this metric among its valid runs. */
    NO_VALUES("no_values"),
    /** Fewer runs than {@link MetricSummary#MIN_RUNS_FOR_P99}. */
    TOO_FEW_RUNS_FOR_P99("too_few_runs_for_p99"),
    /** Fewer runs than a 95 % order-statistic interval needs (6). */
    TOO_FEW_RUNS_FOR_INTERVAL("too_few_runs_for_interval");

    private final String jsonName;

    StatisticUnavailableReason(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }
}
