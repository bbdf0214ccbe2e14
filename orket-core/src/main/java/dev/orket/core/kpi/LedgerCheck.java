package dev.orket.core.kpi;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a ledger is checked against while it is aggregated.
 *
 * @param sweepId the sweep every record must belong to (a record of another {@code sweep_id} is refused), or
 *     null to accept any
 * @param plannedRunIds the run ids the sweep planned, to report those missing from the ledger, or null when
 *     the plan is unknown
 * @since 0.1
 */
public record LedgerCheck(@Nullable String sweepId, @Nullable Set<String> plannedRunIds) {

    /** No checks. */
    public static final LedgerCheck NONE = new LedgerCheck(null, null);

    public LedgerCheck {
        plannedRunIds = plannedRunIds == null ? null : Set.copyOf(plannedRunIds);
    }
}
