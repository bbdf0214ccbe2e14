package dev.orket.core.frontier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.core.kpi.CellKpis;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class FrontierPropertiesTest {

    private static final String[] TAGS = {"F16", "Q8_0", "Q6_K", "Q5_K_M", "Q5_0", "Q4_K_M", "Q4_K_S", "Q4_0",
        "IQ4_XS", "Q3_K_M", "Q2_K", "custom"};

    record Figures(double quality, double speed, long vram) {}

    @Provide
    Arbitrary<List<Figures>> quants() {
        Arbitrary<Figures> figures = Combinators.combine(
                Arbitraries.of(0.8, 0.9, 0.95, 0.97, 1.0),
                Arbitraries.of(50.0, 80.0, 100.0, 120.0),
                Arbitraries.of(2000L, 3000L, 5000L))
                .as(Figures::new);
        return figures.list().ofMinSize(1).ofMaxSize(TAGS.length);
    }

    private static List<CellKpis> cells(List<Figures> figures) {
        List<CellKpis> cells = new ArrayList<>();
        for (int i = 0; i < figures.size(); i++) {
            Figures f = figures.get(i);
            cells.add(Cells.cell(TAGS[i], f.quality(), f.speed(), f.vram()));
        }
        return cells;
    }

    @Property(tries = 60)
    @Label("the frontier is invariant under permutation of its input")
    void permutationInvariant(@ForAll("quants") List<Figures> figures, @ForAll long seed) {
        List<CellKpis> cells = cells(figures);
        List<CellKpis> shuffled = new ArrayList<>(cells);
        Collections.shuffle(shuffled, new Random(seed));
        FrontierView a = FrontierAnalysis.compute(cells, List.of(), FrontierCriteria.DEFAULT, false);
        FrontierView b = FrontierAnalysis.compute(shuffled, List.of(), FrontierCriteria.DEFAULT, false);
        assertThat(b).isEqualTo(a);
    }

    @Property(tries = 60)
    @Label("no frontier member dominates another")
    void membersDoNotDominate(@ForAll("quants") List<Figures> figures) {
        List<FrontierRow> members = FrontierAnalysis.compute(cells(figures), List.of(), FrontierCriteria.DEFAULT, false)
                .members();
        for (FrontierRow a : members) {
            for (FrontierRow b : members) {
                assertThat(FrontierAnalysis.dominates(a, b)).isFalse();
            }
        }
    }

    @Property(tries = 60)
    @Label("every excluded eligible quant is dominated by a member")
    void excludedAreDominated(@ForAll("quants") List<Figures> figures) {
        FrontierView view = FrontierAnalysis.compute(cells(figures), List.of(), FrontierCriteria.DEFAULT, false);
        for (FrontierRow row : view.rows()) {
            if (row.eligible() && !row.onFrontier()) {
                assertThat(row.dominatedBy()).isNotEmpty();
                assertThat(view.members()).anyMatch(m -> FrontierAnalysis.dominates(m, row));
            }
        }
    }
}
