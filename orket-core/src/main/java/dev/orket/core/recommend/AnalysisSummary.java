package dev.orket.core.recommend;

import dev.orket.core.frontier.FrontierAnalysis;
import dev.orket.core.frontier.FrontierView;
import dev.orket.core.kpi.KpiSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a sweep's summary holds: KPIs from valid runs, one frontier and one recommendation per model,
 * lane and profile, and the view options that shaped them.
 *
 * @since 0.1
 */
public record AnalysisSummary(
        KpiSummary kpis, ViewOptions options, List<FrontierView> frontiers, List<Recommendation> recommendations) {

    public AnalysisSummary {
        Objects.requireNonNull(kpis, "kpis");
        Objects.requireNonNull(options, "options");
        frontiers = List.copyOf(frontiers);
        recommendations = List.copyOf(recommendations);
    }

    /** Frontiers and recommendations for every comparison group of the KPIs. */
    public static AnalysisSummary analyze(KpiSummary kpis, ViewOptions options) {
        List<FrontierView> frontiers = FrontierAnalysis.computeAll(kpis, options.criteria(), options.includeInvalid());
        List<Recommendation> recommendations = new ArrayList<>();
        for (FrontierView view : frontiers) {
            recommendations.add(Recommender.recommend(view, options.recommendationIncludesInvalid()));
        }
        return new AnalysisSummary(kpis, options, frontiers, recommendations);
    }
}
