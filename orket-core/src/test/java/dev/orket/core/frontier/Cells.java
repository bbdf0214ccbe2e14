package dev.orket.core.frontier;

import dev.orket.core.kpi.CellKpis;
import dev.orket.core.kpi.KpiAggregator;
import dev.orket.core.kpi.KpiSummary;
import dev.orket.core.kpi.TestRuns;
import dev.orket.core.policy.RunPolicy;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Builds KPI rows for frontier tests: one quant with n runs around the given figures. */
final class Cells {

    private Cells() {}

    static CellKpis cell(String quant, @Nullable Double quality, double speed, @Nullable Long vram, int runs) {
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        for (int i = 0; i < runs; i++) {
            aggregator.add(TestRuns.run(quant + "-" + i).quant(quant).speed(speed + (i - runs / 2) * 0.01).vram(vram)
                    .build(), quality);
        }
        return aggregator.summary().cells().get(0);
    }

    static CellKpis cell(String quant, @Nullable Double quality, double speed, @Nullable Long vram) {
        return cell(quant, quality, speed, vram, 1);
    }

    static KpiSummary summary(List<TestRuns> runs, double quality) {
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        for (TestRuns run : runs) {
            aggregator.add(run.build(), quality);
        }
        return aggregator.summary();
    }
}
