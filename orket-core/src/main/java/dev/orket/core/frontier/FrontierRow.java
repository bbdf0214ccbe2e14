package dev.orket.core.frontier;

import dev.orket.core.kpi.CellKpis;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One quant in a frontier view, with the figures that placed it.
 *
 * @param kpis the row's KPIs (from invalid runs when {@link #invalid()})
 * @param bitsPerWeight nominal bits per weight of the quant tag, or null when the tag is unknown
 * @param quality median quality score, or null
 * @param speed median generation tokens per second, or null
 * @param peakVramMb median peak VRAM in MiB, or null (treated as the worst VRAM when comparing)
 * @param latency median latency in the criteria's metric, or null
 * @param ineligibilityReasons why the row is not eligible, sorted; empty when eligible
 * @param onFrontier whether the row is a frontier member (never for invalid rows)
 * @param dominatedBy the quant tags of the frontier members that dominate this row, sorted; empty for members
 *     and ineligible rows
 * @since 0.1
 */
public record FrontierRow(
        CellKpis kpis,
        @Nullable Double bitsPerWeight,
        @Nullable Double quality,
        @Nullable Double speed,
        @Nullable Double peakVramMb,
        @Nullable Double latency,
        List<IneligibilityReason> ineligibilityReasons,
        boolean onFrontier,
        List<String> dominatedBy) {

    public FrontierRow {
        Objects.requireNonNull(kpis, "kpis");
        ineligibilityReasons = ineligibilityReasons.stream().distinct().sorted().toList();
        dominatedBy = dominatedBy.stream().distinct().sorted().toList();
        if (onFrontier && kpis.invalid()) {
            throw new IllegalArgumentException("a row from invalid runs is never a frontier member");
        }
    }

    /** The row's quant tag, or {@code "(none)"} when its runs carried none. */
    public String quantTag() {
        String tag = kpis.key().quantTag();
        return tag == null ? "(none)" : tag;
    }

    /** Whether the row passed every eligibility threshold. */
    public boolean eligible() {
        return ineligibilityReasons.isEmpty();
    }

    /** Whether the row was computed from invalid runs. */
    public boolean invalid() {
        return kpis.invalid();
    }
}
