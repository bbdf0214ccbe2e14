package dev.orket.core.frontier;

import dev.orket.core.inventory.QuantType;
import dev.orket.core.kpi.CellKpis;
import dev.orket.core.kpi.IncomparableResultsException;
import dev.orket.core.kpi.KpiSummary;
import dev.orket.core.kpi.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Computes the quality/speed/VRAM frontier of the quants of one model at one context in one lane and profile
 * ({@code docs/frontier.md}).
 *
 * <p>Eligibility: median quality at least {@code qualityRatio} × the baseline's (the quant of highest
 * bits per weight that has a quality figure), a speed figure, and median latency at most the ceiling
 * when one is set. Row {@code a} dominates {@code b} when {@code a} is at least as good on quality
 * (higher), speed (higher) and peak VRAM (lower; unknown VRAM counts as the worst) and strictly
 * better on one. Members are the eligible valid rows no other eligible valid row dominates; rows
 * with identical figures are all members. Rows from invalid runs are shown, marked, when asked, and
 * never change membership.
 *
 * @since 0.1
 */
public final class FrontierAnalysis {

    /**
     * The ranking of rows: speed descending, quality descending, peak VRAM ascending, bits per weight
     * descending, quant tag ascending; unknown figures rank last.
     */
    public static final Comparator<FrontierRow> RANKING = Comparator
            .comparing(FrontierRow::speed, Comparator.nullsLast(Comparator.<Double>reverseOrder()))
            .thenComparing(FrontierRow::quality, Comparator.nullsLast(Comparator.<Double>reverseOrder()))
            .thenComparing(FrontierRow::peakVramMb, Comparator.nullsLast(Comparator.<Double>naturalOrder()))
            .thenComparing(FrontierRow::bitsPerWeight, Comparator.nullsLast(Comparator.<Double>reverseOrder()))
            .thenComparing(FrontierRow::quantTag);

    private static final Comparator<FrontierRow> VIEW_ORDER =
            Comparator.comparing((FrontierRow row) -> !row.onFrontier()).thenComparing(RANKING);

    private FrontierAnalysis() {}

    /** One frontier per model, context, lane and profile of the summary, in group order. */
    public static List<FrontierView> computeAll(KpiSummary summary, FrontierCriteria criteria, boolean includeInvalid) {
        Map<ComparisonGroup, List<CellKpis>> valid = new TreeMap<>();
        Map<ComparisonGroup, List<CellKpis>> invalid = new TreeMap<>();
        for (CellKpis cell : summary.cells()) {
            valid.computeIfAbsent(ComparisonGroup.of(cell.key()), g -> new ArrayList<>()).add(cell);
        }
        for (CellKpis row : summary.invalidRows()) {
            invalid.computeIfAbsent(ComparisonGroup.of(row.key()), g -> new ArrayList<>()).add(row);
        }
        List<FrontierView> views = new ArrayList<>();
        for (Map.Entry<ComparisonGroup, List<CellKpis>> entry : valid.entrySet()) {
            views.add(compute(entry.getValue(), invalid.getOrDefault(entry.getKey(), List.of()), criteria, includeInvalid));
        }
        return views;
    }

    /**
     * The frontier of rows that must all share one model, lane and profile.
     *
     * @param validRows KPI rows from valid runs, one per quant
     * @param invalidRows rows from invalid runs, shown marked only when {@code includeInvalid}
     * @throws IncomparableResultsException naming both lane/profile pairs (or models) when rows differ
     */
    public static FrontierView compute(
            List<CellKpis> validRows, List<CellKpis> invalidRows, FrontierCriteria criteria, boolean includeInvalid) {
        if (validRows.isEmpty()) {
            throw new IllegalArgumentException("a frontier needs at least one row from valid runs");
        }
        ComparisonGroup group = ComparisonGroup.of(validRows.get(0).key());
        List<CellKpis> all = new ArrayList<>(validRows);
        all.addAll(invalidRows);
        for (CellKpis row : all) {
            requireSameGroup(group, ComparisonGroup.of(row.key()));
        }
        for (CellKpis row : validRows) {
            if (row.invalid()) {
                throw new IllegalArgumentException("validRows must be computed from valid runs but " + row.key()
                        + " was not");
            }
        }
        for (CellKpis row : invalidRows) {
            if (!row.invalid()) {
                throw new IllegalArgumentException("invalidRows must be marked invalid_runs but " + row.key() + " was not");
            }
        }
        FrontierRow baseline = baseline(validRows, criteria);
        Double baselineQuality = baseline == null ? null : baseline.quality();
        List<FrontierRow> eligible = new ArrayList<>();
        List<FrontierRow> judged = new ArrayList<>();
        for (CellKpis kpis : validRows) {
            FrontierRow row = judge(kpis, criteria, baselineQuality);
            judged.add(row);
            if (row.eligible()) {
                eligible.add(row);
            }
        }
        List<FrontierRow> members = new ArrayList<>();
        for (FrontierRow candidate : eligible) {
            boolean dominated = false;
            for (FrontierRow other : eligible) {
                if (other != candidate && dominates(other, candidate)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                members.add(candidate);
            }
        }
        List<FrontierRow> valid = new ArrayList<>();
        for (FrontierRow row : judged) {
            boolean member = members.contains(row);
            valid.add(withPlacement(row, member, member || !row.eligible() ? List.of() : dominators(row, members)));
        }
        valid.sort(VIEW_ORDER);
        List<FrontierRow> rows = new ArrayList<>(valid);
        if (includeInvalid) {
            List<FrontierRow> shown = new ArrayList<>();
            for (CellKpis kpis : invalidRows) {
                FrontierRow row = judge(kpis, criteria, baselineQuality);
                shown.add(withPlacement(row, false, row.eligible() ? dominators(row, members) : List.of()));
            }
            shown.sort(RANKING);
            rows.addAll(shown);
        }
        return new FrontierView(group, criteria, includeInvalid, baseline == null ? null : baseline.quantTag(),
                baselineQuality, rows);
    }

    /**
     * Whether {@code a} dominates {@code b}: at least as good on quality, speed and VRAM and strictly
     * better on one. Unknown quality or speed never dominates nor is dominated; unknown VRAM is the worst.
     */
    public static boolean dominates(FrontierRow a, FrontierRow b) {
        Double qa = a.quality();
        Double qb = b.quality();
        Double sa = a.speed();
        Double sb = b.speed();
        if (qa == null || qb == null || sa == null || sb == null) {
            return false;
        }
        double va = vram(a);
        double vb = vram(b);
        boolean noWorse = qa >= qb && sa >= sb && va <= vb;
        boolean better = qa > qb || sa > sb || va < vb;
        return noWorse && better;
    }

    private static double vram(FrontierRow row) {
        Double v = row.peakVramMb();
        return v == null ? Double.POSITIVE_INFINITY : v;
    }

    private static void requireSameGroup(ComparisonGroup expected, ComparisonGroup actual) {
        if (expected.executionLane() != actual.executionLane() || expected.vramProfile() != actual.vramProfile()) {
            throw new IncomparableResultsException("Cannot compare " + expected.executionLane().jsonName() + "/"
                    + expected.vramProfile().jsonName() + " results with " + actual.executionLane().jsonName() + "/"
                    + actual.vramProfile().jsonName() + " results in one frontier: results are comparable only when "
                    + "execution_lane and vram_profile match. Group by them (FrontierAnalysis.computeAll).");
        }
        if (!java.util.Objects.equals(expected.context(), actual.context())) {
            throw new IncomparableResultsException("Cannot compare quants of model '" + expected.model()
                    + "' at context " + expected.context() + " with quants at context " + actual.context()
                    + " in one frontier: a frontier compares quants at one context. Group by context"
                    + " (FrontierAnalysis.computeAll).");
        }
        if (!expected.model().equals(actual.model())) {
            throw new IncomparableResultsException("Cannot compare quants of model '" + expected.model()
                    + "' with quants of model '" + actual.model() + "' in one frontier: a frontier compares the quants "
                    + "of one model. Group by model (FrontierAnalysis.computeAll).");
        }
    }

    private static @Nullable FrontierRow baseline(List<CellKpis> validRows, FrontierCriteria criteria) {
        FrontierRow best = null;
        for (CellKpis kpis : validRows) {
            FrontierRow row = judge(kpis, criteria, null);
            Double bits = row.bitsPerWeight();
            if (bits == null || row.quality() == null) {
                continue;
            }
            Double bestBits = best == null ? null : best.bitsPerWeight();
            if (best == null || bestBits == null || bits > bestBits
                    || (bits.equals(bestBits) && row.quantTag().compareTo(best.quantTag()) < 0)) {
                best = row;
            }
        }
        return best;
    }

    private static FrontierRow judge(CellKpis kpis, FrontierCriteria criteria, @Nullable Double baselineQuality) {
        QuantType type = QuantType.fromTag(kpis.key().quantTag());
        Double quality = kpis.median(Metric.QUALITY_SCORE);
        Double speed = kpis.median(Metric.GENERATION_TOKENS_PER_SECOND);
        Double vram = kpis.median(Metric.PEAK_VRAM_USED_MB);
        Double latency = kpis.median(criteria.latencyMetric().metric());
        List<IneligibilityReason> reasons = new ArrayList<>();
        if (quality == null) {
            reasons.add(IneligibilityReason.QUALITY_UNAVAILABLE);
        } else if (baselineQuality == null) {
            reasons.add(IneligibilityReason.BASELINE_QUALITY_UNAVAILABLE);
        } else if (quality < criteria.qualityRatio() * baselineQuality - 1e-12) {
            reasons.add(IneligibilityReason.BELOW_QUALITY_RATIO);
        }
        if (speed == null) {
            reasons.add(IneligibilityReason.SPEED_UNAVAILABLE);
        }
        Double ceiling = criteria.latencyCeiling();
        if (ceiling != null) {
            if (latency == null) {
                reasons.add(IneligibilityReason.LATENCY_UNAVAILABLE);
            } else if (latency > ceiling) {
                reasons.add(IneligibilityReason.ABOVE_LATENCY_CEILING);
            }
        }
        return new FrontierRow(kpis, type == null ? null : type.bitsPerWeight(), quality, speed, vram, latency, reasons,
                false, List.of());
    }

    private static List<String> dominators(FrontierRow row, List<FrontierRow> members) {
        TreeSet<String> tags = new TreeSet<>();
        for (FrontierRow member : members) {
            if (dominates(member, row)) {
                tags.add(member.quantTag());
            }
        }
        return List.copyOf(tags);
    }

    private static FrontierRow withPlacement(FrontierRow row, boolean member, List<String> dominatedBy) {
        return new FrontierRow(row.kpis(), row.bitsPerWeight(), row.quality(), row.speed(), row.peakVramMb(),
                row.latency(), row.ineligibilityReasons(), member, dominatedBy);
    }
}
