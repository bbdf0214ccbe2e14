package dev.orket.core.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.RunQualityReason;
import dev.orket.core.frontier.FrontierAnalysis;
import dev.orket.core.frontier.FrontierCriteria;
import dev.orket.core.frontier.FrontierView;
import dev.orket.core.kpi.KpiAggregator;
import dev.orket.core.kpi.KpiSummary;
import dev.orket.core.kpi.TestRuns;
import dev.orket.core.policy.RunPolicy;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RecommenderTest {

    private static void runs(KpiAggregator aggregator, String quant, double speed, double spread, long vram,
            double quality, int n) {
        for (int i = 0; i < n; i++) {
            aggregator.add(TestRuns.run(quant + i).quant(quant).speed(speed + spread * (i - n / 2.0)).vram(vram).build(),
                    quality);
        }
    }

    private static FrontierView view(KpiAggregator aggregator, boolean includeInvalid) {
        return FrontierAnalysis.computeAll(aggregator.summary(), FrontierCriteria.DEFAULT, includeInvalid).get(0);
    }

    @Test
    @DisplayName("a speed difference beyond the intervals decides")
    void speedDecides() {
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        runs(aggregator, "Q8_0", 100, 1, 5000, 1.0, 20);
        runs(aggregator, "Q4_K_M", 150, 1, 3000, 0.99, 20);
        Recommendation r = Recommender.recommend(view(aggregator, false), false);
        assertThat(r.winner().quantTag()).isEqualTo("Q4_K_M");
        assertThat(r.runnerUp().quantTag()).isEqualTo("Q8_0");
        assertThat(r.decision()).isEqualTo(Decision.SPEED);
        assertThat(r.speedDifferenceExceedsNoise()).isTrue();
    }

    @Test
    @DisplayName("within noise the smaller VRAM footprint wins, and the recommendation says so")
    void withinNoisePrefersSmallerVram() {
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        runs(aggregator, "Q6_K", 101, 10, 3000, 1.0, 20);
        runs(aggregator, "Q5_K_M", 100, 10, 2500, 1.0, 20);
        Recommendation r = Recommender.recommend(view(aggregator, false), false);
        assertThat(r.speedDifferenceExceedsNoise()).isFalse();
        assertThat(r.qualityDifferenceExceedsNoise()).isFalse();
        assertThat(r.decision()).isEqualTo(Decision.SMALLER_VRAM_WITHIN_NOISE);
        assertThat(r.winner().quantTag()).isEqualTo("Q5_K_M");
        assertThat(r.notes()).anyMatch(n -> n.contains("within noise"));
    }

    @Test
    @DisplayName("a lone frontier member still names the best eligible quant it dominates as runner-up")
    void loneMemberNamesRunnerUp() {
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        runs(aggregator, "F16", 70, 1, 9000, 1.0, 20);
        runs(aggregator, "Q8_0", 120, 1, 5000, 1.0, 20);
        runs(aggregator, "Q5_K_M", 160, 1, 3000, 1.0, 20);
        runs(aggregator, "Q2_K", 250, 1, 1000, 0.5, 20);
        Recommendation r = Recommender.recommend(view(aggregator, false), false);
        assertThat(r.winner().quantTag()).isEqualTo("Q5_K_M");
        assertThat(r.decision()).isEqualTo(Decision.ONLY_CANDIDATE);
        assertThat(r.runnerUp().quantTag()).isEqualTo("Q8_0");
        assertThat(r.speedDifferenceExceedsNoise()).isTrue();
        assertThat(r.notes()).anyMatch(n -> n.startsWith("Q5_K_M dominates the runner-up Q8_0"));
    }

    @Test
    @DisplayName("no eligible quant means no recommendation, with the reason")
    void noEligible() {
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        aggregator.add(TestRuns.run("a").quant("Q8_0").build(), null);
        Recommendation r = Recommender.recommend(view(aggregator, false), false);
        assertThat(r.winner()).isNull();
        assertThat(r.noRecommendationReason()).contains("quality_unavailable");
    }

    @Test
    @DisplayName("invalid rows are ignored unless asked, and the recommendation says when they were used")
    void invalidOnlyWhenAsked() {
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        runs(aggregator, "Q8_0", 100, 1, 5000, 1.0, 10);
        aggregator.add(TestRuns.run("fast").quant("Q4_0").speed(500).vram(2000L)
                .polluted(RunQualityReason.PROMPT_CACHE_HIT).build(), 1.0);
        Recommendation ignored = Recommender.recommend(view(aggregator, true), false);
        assertThat(ignored.winner().quantTag()).isEqualTo("Q8_0");
        assertThat(ignored.includesInvalid()).isFalse();

        Recommendation asked = Recommender.recommend(view(aggregator, true), true);
        assertThat(asked.includesInvalid()).isTrue();
        assertThat(asked.winner().quantTag()).isEqualTo("Q4_0");
        assertThat(asked.winner().invalid()).isTrue();
        assertThat(asked.notes().get(0)).contains("include_invalid");

        assertThatThrownBy(() -> Recommender.recommend(view(aggregator, false), true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("the analysis records its view options")
    void analysis() {
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        runs(aggregator, "Q8_0", 100, 1, 5000, 1.0, 10);
        KpiSummary kpis = aggregator.summary();
        AnalysisSummary summary = AnalysisSummary.analyze(kpis, new ViewOptions(true, false, FrontierCriteria.DEFAULT));
        assertThat(summary.options().includeInvalid()).isTrue();
        assertThat(SummaryJson.toJson(summary)).contains("\"include_invalid\" : true");
    }
}
