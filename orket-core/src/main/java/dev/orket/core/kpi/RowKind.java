package dev.orket.core.kpi;

import dev.orket.api.JsonNamed;

/**
 * Which runs of a cell a row was computed from. KPI aggregates are always {@link #VALID_RUNS};
 * {@link #INVALID_RUNS} rows exist only to be shown, marked, in frontier and comparison views.
 *
 * @since 0.1
 */
public enum RowKind implements JsonNamed {
    VALID_RUNS("valid_runs"),
    INVALID_RUNS("invalid_runs");

    private final String jsonName;

    RowKind(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }
}
