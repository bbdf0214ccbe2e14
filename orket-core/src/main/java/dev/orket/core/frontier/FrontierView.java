package dev.orket.core.frontier;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The frontier of one comparison group.
 *
 * @param group the model, lane and profile compared
 * @param criteria the eligibility thresholds used
 * @param includeInvalid whether rows from invalid runs are shown (marked; they never change the frontier)
 * @param baselineQuantTag the highest-precision quant with a quality figure, or null when there is none
 * @param baselineQuality its median quality, or null
 * @param rows every row in deterministic order: valid rows (members first), then invalid rows when shown
 * @since 0.1
 */
public record FrontierView(
        ComparisonGroup group,
        FrontierCriteria criteria,
        boolean includeInvalid,
        @Nullable String baselineQuantTag,
        @Nullable Double baselineQuality,
        List<FrontierRow> rows) {

    public FrontierView {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(criteria, "criteria");
        rows = List.copyOf(rows);
    }

    /** The frontier members in order. */
    public List<FrontierRow> members() {
        return rows.stream().filter(FrontierRow::onFrontier).toList();
    }
}
