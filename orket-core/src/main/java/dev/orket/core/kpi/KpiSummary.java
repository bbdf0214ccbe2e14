package dev.orket.core.kpi;

import java.util.List;
import java.util.Objects;

/**
 * The KPIs of every cell, from valid runs only, plus the invalid-run rows that views may show.
 *
 * @param policyVersion the version of the run policy that judged the runs
 * @param totalRuns runs read
 * @param validRuns runs admitted to KPI aggregates
 * @param cells the KPIs of every cell from its valid runs, ordered by {@link CellKey}; a cell with no valid run
 *     is listed with empty metrics
 * @param invalidRows per cell with at least one invalid run, the same figures over its invalid runs, marked
 *     {@link RowKind#INVALID_RUNS}; never part of any aggregate, shown only by views that ask for them
 * @since 0.1
 */
public record KpiSummary(
        String policyVersion, long totalRuns, long validRuns, List<CellKpis> cells, List<CellKpis> invalidRows) {

    public KpiSummary {
        Objects.requireNonNull(policyVersion, "policyVersion");
        cells = List.copyOf(cells);
        invalidRows = List.copyOf(invalidRows);
        for (CellKpis cell : cells) {
            if (cell.invalid()) {
                throw new IllegalArgumentException("cells must be computed from valid runs only but " + cell.key()
                        + " was not");
            }
        }
        for (CellKpis row : invalidRows) {
            if (!row.invalid()) {
                throw new IllegalArgumentException("invalidRows must be marked invalid_runs but " + row.key() + " was not");
            }
        }
    }
}
