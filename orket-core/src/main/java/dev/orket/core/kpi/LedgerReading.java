package dev.orket.core.kpi;

import dev.orket.core.artifact.LedgerAttempts;
import java.util.List;
import java.util.Objects;

/**
 * A ledger's KPIs and what reading it found on the way.
 *
 * @param kpis the KPIs, each run counted once by its last attempt
 * @param duplicates lines ignored because they repeat an earlier line byte for byte, in file order
 * @param supersededAttempts lines not counted because a later attempt of their run is recorded
 * @param missingRuns planned run ids the ledger does not hold, sorted (empty when the plan was not given)
 * @param unplannedRuns runs the ledger holds that the plan does not list (0 when the plan was not given)
 * @since 0.1
 */
public record LedgerReading(KpiSummary kpis, List<LedgerAttempts.Duplicate> duplicates, long supersededAttempts,
        List<String> missingRuns, long unplannedRuns) {

    public LedgerReading {
        Objects.requireNonNull(kpis, "kpis");
        duplicates = List.copyOf(duplicates);
        missingRuns = List.copyOf(missingRuns);
    }
}
