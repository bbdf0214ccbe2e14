package dev.orket.core.recommend;

import dev.orket.api.HardwareFlag;
import dev.orket.api.ThrottleReason;
import dev.orket.core.frontier.FrontierAnalysis;
import dev.orket.core.frontier.FrontierRow;
import dev.orket.core.frontier.FrontierView;
import dev.orket.core.kpi.MedianInterval;
import dev.orket.core.kpi.Metric;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Draws a recommendation from a frontier ({@code docs/frontier.md}).
 *
 * <p>Candidates are the frontier members ranked by {@link FrontierAnalysis#RANKING}; the top two are
 * compared. When their generation speed intervals do not overlap, the faster wins; else when their
 * quality intervals do not overlap, the better wins; else the difference is within noise and the
 * smaller median peak VRAM wins (the ranking when VRAM is unknown or equal). Rows from invalid runs
 * are candidates only when asked, and the recommendation then says so.
 *
 * @since 0.1
 */
public final class Recommender {

    private Recommender() {}

    /**
     * The recommendation of one frontier.
     *
     * @param view the frontier
     * @param includeInvalid whether eligible rows from invalid runs that no member dominates are candidates too;
     *     requires a view computed with include_invalid
     */
    public static Recommendation recommend(FrontierView view, boolean includeInvalid) {
        if (includeInvalid && !view.includeInvalid()) {
            throw new IllegalArgumentException(
                    "a recommendation including invalid runs needs a frontier view computed with include_invalid");
        }
        List<String> notes = new ArrayList<>();
        List<FrontierRow> candidates = new ArrayList<>(view.members());
        if (includeInvalid) {
            notes.add("include_invalid: rows built from invalid runs were candidates; this is not recommendation-grade "
                    + "evidence");
            for (FrontierRow row : view.rows()) {
                if (row.invalid() && row.eligible() && row.dominatedBy().isEmpty()) {
                    candidates.add(row);
                }
            }
        }
        candidates.sort(FrontierAnalysis.RANKING);
        if (candidates.isEmpty()) {
            String reason = view.rows().stream().anyMatch(r -> !r.invalid())
                    ? "no quant is eligible: " + ineligibility(view)
                    : "no quant has valid runs";
            return new Recommendation(view.group(), null, null, null, null, null, reason, includeInvalid, notes);
        }
        FrontierRow first = candidates.get(0);
        if (candidates.size() == 1) {
            notes.add(first.quantTag() + " is the only eligible frontier quant");
            // The runner-up is then the best eligible quant it dominates: a person still wants to know what
            // the next choice would be, and by how much it loses.
            FrontierRow dominated = view.rows().stream()
                    .filter(row -> row != first && row.eligible() && (includeInvalid || !row.invalid()))
                    .min(FrontierAnalysis.RANKING)
                    .orElse(null);
            if (dominated == null) {
                notes.addAll(hardwareNotes(first, view));
                return new Recommendation(view.group(), first, null, Decision.ONLY_CANDIDATE, null, null, null,
                        includeInvalid, notes);
            }
            boolean speedApart = apart(first, dominated, Metric.GENERATION_TOKENS_PER_SECOND, notes);
            boolean qualityApart = apart(first, dominated, Metric.QUALITY_SCORE, notes);
            notes.add(first.quantTag() + " dominates the runner-up " + dominated.quantTag() + " ("
                    + figures(first, Metric.GENERATION_TOKENS_PER_SECOND) + " vs "
                    + figures(dominated, Metric.GENERATION_TOKENS_PER_SECOND) + " tokens/s; peak VRAM "
                    + first.peakVramMb() + " vs " + dominated.peakVramMb() + " MiB)"
                    + (speedApart ? "" : "; the speed difference is within run-to-run noise"));
            notes.addAll(hardwareNotes(first, view));
            return new Recommendation(view.group(), first, dominated, Decision.ONLY_CANDIDATE, speedApart,
                    qualityApart, null, includeInvalid, notes);
        }
        FrontierRow second = candidates.get(1);
        boolean speedApart = apart(first, second, Metric.GENERATION_TOKENS_PER_SECOND, notes);
        boolean qualityApart = apart(first, second, Metric.QUALITY_SCORE, notes);
        FrontierRow winner;
        Decision decision;
        if (speedApart) {
            winner = first;
            decision = Decision.SPEED;
            notes.add(first.quantTag() + " is faster than " + second.quantTag() + " beyond run-to-run noise ("
                    + figures(first, Metric.GENERATION_TOKENS_PER_SECOND) + " vs "
                    + figures(second, Metric.GENERATION_TOKENS_PER_SECOND) + " tokens/s)");
        } else if (qualityApart) {
            winner = value(first.quality()) >= value(second.quality()) ? first : second;
            decision = Decision.QUALITY;
            notes.add("speed difference is within noise; " + winner.quantTag() + " has the better quality beyond noise");
        } else {
            Double v1 = first.peakVramMb();
            Double v2 = second.peakVramMb();
            if (v1 != null && v2 != null && !v1.equals(v2)) {
                winner = v1 < v2 ? first : second;
                decision = Decision.SMALLER_VRAM_WITHIN_NOISE;
                notes.add("speed and quality differences between " + first.quantTag() + " and " + second.quantTag()
                        + " are within noise; preferring the smaller VRAM footprint (" + winner.peakVramMb() + " MiB)");
            } else {
                winner = first;
                decision = Decision.RANKING_WITHIN_NOISE;
                notes.add("speed and quality differences between " + first.quantTag() + " and " + second.quantTag()
                        + " are within noise and VRAM does not separate them; the documented ranking decides");
            }
        }
        FrontierRow runnerUp = winner == first ? second : first;
        notes.addAll(hardwareNotes(winner, view));
        return new Recommendation(view.group(), winner, runnerUp, decision, speedApart, qualityApart, null,
                includeInvalid, notes);
    }

    /**
     * What the GPU saw during the winner's runs, e.g. {@code 62 % of Q4_K_M's runs throttled: sw_thermal_slowdown}:
     * advisory (the runs are valid and counted), said so that a reader can judge the evidence.
     */
    static List<String> hardwareNotes(FrontierRow winner, FrontierView view) {
        List<String> notes = new ArrayList<>();
        for (HardwareFlag flag : HardwareFlag.values()) {
            Double share = winner.kpis().hardwareFlagShare(flag);
            if (share == null || share == 0.0) {
                continue;
            }
            notes.add(Math.round(share * 100) + " % of " + winner.quantTag() + "'s runs " + phrase(flag, winner, view));
        }
        return notes;
    }

    private static String phrase(HardwareFlag flag, FrontierRow row, FrontierView view) {
        switch (flag) {
            case GPU_THROTTLED:
                List<String> slowdowns = new ArrayList<>();
                for (ThrottleReason reason : row.kpis().throttleReasonsSeen()) {
                    if (reason.isSlowdown()) {
                        slowdowns.add(reason.jsonName());
                    }
                }
                return "throttled" + (slowdowns.isEmpty() ? "" : ": " + String.join(", ", slowdowns));
            case FOREIGN_GPU_PROCESS:
                return "shared the GPU with a process that is not the measured server's";
            case VRAM_CAP_EXCEEDED:
                return "exceeded the " + view.group().vramProfile().jsonName() + " profile's VRAM cap";
            case THERMAL_NOT_SETTLED:
                return "started before the GPU cooled under the thermal gate's target";
            default:
                return "carried a hardware flag this reader does not know";
        }
    }

    private static boolean apart(FrontierRow a, FrontierRow b, Metric metric, List<String> notes) {
        MedianInterval ia = a.kpis().metric(metric).medianInterval();
        MedianInterval ib = b.kpis().metric(metric).medianInterval();
        if (ia == null || ib == null) {
            notes.add(metric.jsonName() + " interval unavailable for " + (ia == null ? a.quantTag() : b.quantTag())
                    + " (too few runs): its difference is not shown to exceed noise");
            return false;
        }
        return !ia.overlaps(ib);
    }

    private static String figures(FrontierRow row, Metric metric) {
        MedianInterval interval = row.kpis().metric(metric).medianInterval();
        return row.kpis().median(metric) + (interval == null ? "" : " [" + interval.lower() + ", " + interval.upper()
                + "]");
    }

    private static double value(@Nullable Double d) {
        return d == null ? Double.NEGATIVE_INFINITY : d;
    }

    private static String ineligibility(FrontierView view) {
        StringBuilder out = new StringBuilder();
        for (FrontierRow row : view.rows()) {
            if (row.invalid()) {
                continue;
            }
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(row.quantTag()).append(' ');
            List<String> reasons = row.ineligibilityReasons().stream().map(r -> r.jsonName()).toList();
            out.append(reasons);
        }
        return out.toString();
    }
}
