package dev.orket.core.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.core.kpi.KpiAggregator;
import dev.orket.core.kpi.TestRuns;
import dev.orket.core.policy.RunPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Context ceilings")
class ContextCeilingsTest {

    private static final ContextThresholds SAFE = new ContextThresholds(0.95, 250.0, 20.0);

    private static List<ContextCeilings.PlannedCell> planned(String quant, int... contexts) {
        List<ContextCeilings.PlannedCell> cells = new java.util.ArrayList<>();
        for (int context : contexts) {
            cells.add(new ContextCeilings.PlannedCell("m", quant, context));
        }
        return cells;
    }

    /** Five valid runs of a (quant, context) at the given figures, scored {@code quality}. */
    private static void add(KpiAggregator kpis, String quant, int context, double ttftMs, double tps, double quality) {
        for (int i = 0; i < 5; i++) {
            kpis.add(TestRuns.run(quant + "@" + context + "/" + i).model("m").quant(quant).context(context).ttft(ttftMs)
                    .speed(tps).build(), quality);
        }
    }

    @Test
    @DisplayName("judges the medians of valid runs against each threshold; the ceiling is the largest context that"
            + " passes, and a failing smaller context is shown, not hidden")
    void judges() {
        KpiAggregator kpis = new KpiAggregator(RunPolicy.DEFAULT);
        add(kpis, "Q4_K_M", 4096, 120.0, 30.0, 0.96);
        add(kpis, "Q4_K_M", 8192, 260.0, 30.0, 0.96);
        add(kpis, "Q4_K_M", 16384, 240.0, 19.0, 0.90);
        add(kpis, "Q8_0", 4096, 300.0, 25.0, 1.0);
        add(kpis, "Q8_0", 8192, 200.0, 25.0, 1.0);
        List<ContextCeilings.PlannedCell> cells = new java.util.ArrayList<>(planned("Q4_K_M", 4096, 8192, 16384));
        cells.addAll(planned("Q8_0", 4096, 8192, 16384));

        ContextCeilings.Result result = ContextCeilings.judge(kpis.summary(), SAFE, cells,
                Map.of("m/Q8_0@16384", "context_mismatch:16384!=8192"));

        ContextCeilings.Ceiling q4 = result.ceilings().get(0);
        assertThat(q4.contextCeiling()).isEqualTo(4096);
        assertThat(q4.perContext()).extracting(p -> p.context() + " " + p.reasons()).containsExactly("4096 []",
                "8192 [ttft_above_ceiling]", "16384 [adherence_below_min, decode_below_floor]");
        assertThat(q4.perContext().get(0).medianTtftMs()).isEqualTo(120.0);
        assertThat(q4.perContext().get(0).medianDecodeTps()).isEqualTo(30.0);
        assertThat(q4.perContext().get(0).medianAdherence()).isEqualTo(0.96);
        assertThat(q4.perContext().get(0).validRuns()).isEqualTo(5);
        ContextCeilings.Ceiling q8 = result.ceilings().get(1);
        // 4096 fails and 8192 passes: the ceiling is 8192, and 4096 stays failed in the grid.
        assertThat(q8.contextCeiling()).isEqualTo(8192);
        assertThat(q8.perContext()).extracting(p -> p.context() + " " + p.reasons()).containsExactly(
                "4096 [ttft_above_ceiling]", "8192 []", "16384 [cell_blocked, no_valid_runs]");
        assertThat(q8.perContext().get(2).blockedReason()).isEqualTo("context_mismatch:16384!=8192");
        assertThat(q8.perContext().get(2).totalRuns()).isZero();
    }

    @Test
    @DisplayName("unknown never passes: invalid runs only, or a missing median, fail with their own reason")
    void unknownNeverPasses() {
        KpiAggregator kpis = new KpiAggregator(RunPolicy.DEFAULT);
        for (int i = 0; i < 3; i++) {
            kpis.add(TestRuns.run("bad" + i).model("m").quant("Q2_K").context(512).failed().build(), null);
            kpis.add(TestRuns.run("whole" + i).model("m").quant("Q3_K_M").context(512).ttft(null).speed(50).build(), null);
        }
        List<ContextCeilings.PlannedCell> cells = new java.util.ArrayList<>(planned("Q2_K", 512));
        cells.addAll(planned("Q3_K_M", 512));
        cells.addAll(planned("Q5_K_M", 512));

        ContextCeilings.Result result = ContextCeilings.judge(kpis.summary(), SAFE, cells, Map.of());

        assertThat(result.ceilings()).extracting(ContextCeilings.Ceiling::contextCeiling).containsOnlyNulls();
        assertThat(result.ceilings().get(0).perContext().get(0).reasons()).containsExactly("no_valid_runs");
        assertThat(result.ceilings().get(0).perContext().get(0).totalRuns()).isEqualTo(3);
        assertThat(result.ceilings().get(1).perContext().get(0).reasons()).containsExactly("adherence_unavailable",
                "ttft_unavailable");
        assertThat(result.ceilings().get(2).perContext().get(0).reasons()).containsExactly("no_valid_runs");
    }

    @Test
    @DisplayName("the summary's context_ceilings validate against the schema and read back through the selector's reader")
    void summaryRoundTrip() throws Exception {
        KpiAggregator kpis = new KpiAggregator(RunPolicy.DEFAULT);
        add(kpis, "Q4_K_M", 4096, 120.0, 30.0, 0.96);
        add(kpis, "Q4_K_M", 8192, 260.0, 30.0, 0.96);
        ContextCeilings.Result result = ContextCeilings.judge(kpis.summary(), SAFE, planned("Q4_K_M", 4096, 8192),
                Map.of());
        AnalysisSummary summary = AnalysisSummary.analyze(kpis.summary(), ViewOptions.DEFAULT);

        String json = SummaryJson.toJson(summary, "s", dev.orket.api.ExecutionLane.LAB,
                dev.orket.api.VramProfile.BALANCED, Map.of(), result);

        assertThat(SummaryJsonSchemaTest.validate(json)).isEmpty();
        var read = dev.orket.core.select.ContextCeilingsReader.read(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json), "summary.json");
        assertThat(read).hasSize(1);
        assertThat(read.get(0).contextCeiling()).isEqualTo(4096);
        assertThat(read.get(0).perContext()).extracting(c -> c.context() + " " + c.passed() + " " + c.ttftMs())
                .containsExactly("4096 true 120.0", "8192 false 260.0");
        assertThat(summary.frontiers()).extracting(f -> f.group().context()).containsExactly(4096, 8192);
        assertThat(json).contains("\"context\" : 8192");
    }
}
