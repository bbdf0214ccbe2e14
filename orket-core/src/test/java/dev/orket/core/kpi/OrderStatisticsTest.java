package dev.orket.core.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OrderStatisticsTest {

    @Test
    @DisplayName("fewer than six runs have no 95 % median interval")
    void tooFew() {
        assertThat(OrderStatistics.medianLowerRank(5, 0.95)).isNull();
        assertThat(OrderStatistics.medianLowerRank(6, 0.95)).isEqualTo(1L);
        assertThat(OrderStatistics.coverage(6, 1)).isEqualTo(1 - 2.0 / 64);
    }

    @Test
    @DisplayName("textbook ranks: n = 10 → (2, 9), n = 20 → (6, 15), n = 100 → (40, 61)")
    void textbook() {
        assertThat(OrderStatistics.medianLowerRank(10, 0.95)).isEqualTo(2L);
        assertThat(OrderStatistics.medianLowerRank(20, 0.95)).isEqualTo(6L);
        assertThat(OrderStatistics.medianLowerRank(100, 0.95)).isEqualTo(40L);
    }

    @Property(tries = 100)
    @Label("the chosen ranks cover at least 95 % and one rank tighter would not")
    void coverageIsTight(@ForAll @LongRange(min = 6, max = 3000) long n) {
        Long j = OrderStatistics.medianLowerRank(n, 0.95);
        assertThat(j).isNotNull();
        assertThat(OrderStatistics.coverage(n, j)).isGreaterThanOrEqualTo(0.95);
        if (j + 1 <= n - j) {
            assertThat(OrderStatistics.coverage(n, j + 1)).isLessThan(0.95);
        }
    }

    @Test
    @DisplayName("the normal approximation beyond the exact limit stays at 95 % coverage")
    void large() {
        Long j = OrderStatistics.medianLowerRank(1_000_000, 0.95);
        assertThat(j).isNotNull();
        assertThat(OrderStatistics.coverage(1_000_000, j)).isBetween(0.949, 0.952);
    }
}
