package dev.orket.core.frontier;

import static dev.orket.core.frontier.Cells.cell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.ExecutionLane;
import dev.orket.api.RunQualityReason;
import dev.orket.api.VramProfile;
import dev.orket.core.kpi.CellKpis;
import dev.orket.core.kpi.IncomparableResultsException;
import dev.orket.core.kpi.KpiAggregator;
import dev.orket.core.kpi.TestRuns;
import dev.orket.core.policy.RunPolicy;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FrontierAnalysisTest {

    @Test
    @DisplayName("eligibility is relative to the highest-precision quant's quality")
    void eligibility() {
        FrontierView view = FrontierAnalysis.compute(List.of(
                cell("F16", 1.0, 50, 8000L),
                cell("Q8_0", 0.97, 80, 5000L),
                cell("Q4_K_M", 0.96, 120, 3000L),
                cell("Q2_K", 0.80, 200, 2000L)), List.of(), FrontierCriteria.DEFAULT, false);
        assertThat(view.baselineQuantTag()).isEqualTo("F16");
        assertThat(view.members()).extracting(FrontierRow::quantTag).containsExactly("Q4_K_M", "Q8_0", "F16");
        FrontierRow q2 = view.rows().stream().filter(r -> r.quantTag().equals("Q2_K")).findFirst().orElseThrow();
        assertThat(q2.ineligibilityReasons()).containsExactly(IneligibilityReason.BELOW_QUALITY_RATIO);
    }

    @Test
    @DisplayName("a dominated eligible quant names the members that dominate it")
    void dominated() {
        FrontierView view = FrontierAnalysis.compute(List.of(
                cell("Q8_0", 1.0, 100, 5000L),
                cell("Q6_K", 0.99, 90, 6000L)), List.of(), FrontierCriteria.DEFAULT, false);
        assertThat(view.members()).extracting(FrontierRow::quantTag).containsExactly("Q8_0");
        assertThat(view.rows().get(1).dominatedBy()).containsExactly("Q8_0");
    }

    @Test
    @DisplayName("a latency ceiling makes slow quants ineligible")
    void latencyCeiling() {
        FrontierCriteria criteria = new FrontierCriteria(0.95, 40.0, LatencyMetric.CLIENT_TTFT_MS);
        FrontierView view = FrontierAnalysis.compute(List.of(cell("Q8_0", 1.0, 100, 5000L)), List.of(), criteria,
                false);
        assertThat(view.rows().get(0).ineligibilityReasons()).containsExactly(IneligibilityReason.ABOVE_LATENCY_CEILING);
        assertThat(view.members()).isEmpty();
    }

    @Test
    @DisplayName("comparing different lanes or profiles is refused naming both pairs")
    void incomparable() {
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        aggregator.add(TestRuns.run("a").quant("Q8_0").build(), 1.0);
        aggregator.add(TestRuns.run("b").quant("Q4_0").lane(ExecutionLane.CI).profile(VramProfile.SAFE).build(), 1.0);
        List<CellKpis> cells = aggregator.summary().cells();
        assertThatThrownBy(() -> FrontierAnalysis.compute(cells, List.of(), FrontierCriteria.DEFAULT, false))
                .isInstanceOf(IncomparableResultsException.class)
                .hasMessageContaining("ci/safe")
                .hasMessageContaining("lab/balanced");
        assertThat(FrontierAnalysis.computeAll(aggregator.summary(), FrontierCriteria.DEFAULT, false)).hasSize(2);
    }

    @Test
    @DisplayName("include_invalid shows invalid rows marked and leaves the frontier unchanged")
    void includeInvalid() {
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        aggregator.add(TestRuns.run("a").quant("Q8_0").speed(100).build(), 1.0);
        aggregator.add(TestRuns.run("b").quant("Q4_0").speed(150).build(), 0.99);
        aggregator.add(TestRuns.run("c").quant("Q4_0").speed(900).polluted(RunQualityReason.PROMPT_CACHE_HIT).build(),
                1.0);
        var summary = aggregator.summary();
        FrontierView without = FrontierAnalysis.computeAll(summary, FrontierCriteria.DEFAULT, false).get(0);
        FrontierView with = FrontierAnalysis.computeAll(summary, FrontierCriteria.DEFAULT, true).get(0);
        assertThat(without.rows()).noneMatch(FrontierRow::invalid);
        assertThat(with.members()).isEqualTo(without.members());
        assertThat(with.rows()).filteredOn(FrontierRow::invalid).singleElement().satisfies(row -> {
            assertThat(row.onFrontier()).isFalse();
            assertThat(row.speed()).isEqualTo(900.0);
        });
    }
}
