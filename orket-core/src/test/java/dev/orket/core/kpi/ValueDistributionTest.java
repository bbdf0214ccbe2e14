package dev.orket.core.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ValueDistributionTest {

    @Test
    @DisplayName("nearest-rank quantiles of exact values are order statistics")
    void nearestRank() {
        ValueDistribution d = new ValueDistribution();
        for (double v : new double[] {5, 1, 4, 2, 3}) {
            d.add(v);
        }
        assertThat(d.exact()).isTrue();
        assertThat(d.quantile(0.5)).isEqualTo(3);
        assertThat(d.quantile(0.1)).isEqualTo(1);
        assertThat(d.quantile(0.9)).isEqualTo(5);
        d.add(6);
        assertThat(d.quantile(0.5)).as("lower median of six").isEqualTo(3);
    }

    @Test
    @DisplayName("beyond the exact limit the sketch keeps every quantile within its relative accuracy")
    void sketchAccuracy() {
        ValueDistribution d = new ValueDistribution();
        Random random = new Random(42);
        double[] all = new double[50_000];
        for (int i = 0; i < all.length; i++) {
            all[i] = Math.exp(random.nextGaussian() * 2 + 3);
            d.add(all[i]);
        }
        Arrays.sort(all);
        assertThat(d.exact()).isFalse();
        assertThat(d.count()).isEqualTo(50_000);
        for (double q : new double[] {0.01, 0.1, 0.5, 0.9, 0.99}) {
            double truth = all[(int) ValueDistribution.nearestRank(q, all.length) - 1];
            assertThat(d.quantile(q)).isCloseTo(truth, within(truth * ValueDistribution.SKETCH_RELATIVE_ACCURACY * 1.0001));
        }
    }

    @Test
    @DisplayName("zeros are exact in the sketch and negative values are refused")
    void zerosAndNegatives() {
        ValueDistribution d = new ValueDistribution();
        for (int i = 0; i < ValueDistribution.EXACT_LIMIT + 10; i++) {
            d.add(0.0);
        }
        assertThat(d.quantile(0.5)).isZero();
        assertThatThrownBy(() -> d.add(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.add(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 200)
    @Label("one extreme outlier moves the median by at most one order statistic")
    void outlierMovesMedianByOneOrderStatistic(
            @ForAll @Size(min = 5, max = 60) List<@DoubleRange(min = 0, max = 1000) Double> values,
            @ForAll boolean high) {
        ValueDistribution before = new ValueDistribution();
        values.forEach(before::add);
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        long rank = ValueDistribution.nearestRank(0.5, sorted.length);
        ValueDistribution after = new ValueDistribution();
        values.forEach(after::add);
        after.add(high ? 1e12 : 0.0);
        double moved = after.quantile(0.5);
        double lower = sorted[(int) Math.max(0, rank - 2)];
        double upper = sorted[(int) Math.min(sorted.length - 1, rank)];
        assertThat(before.quantile(0.5)).isEqualTo(sorted[(int) rank - 1]);
        assertThat(moved).isBetween(lower, upper);
    }
}
