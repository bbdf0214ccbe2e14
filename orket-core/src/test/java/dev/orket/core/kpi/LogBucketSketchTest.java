package dev.orket.core.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LogBucketSketchTest {

    @Test
    @DisplayName("merging two sketches equals sketching all values, within the relative accuracy of the truth")
    void merge() {
        Random random = new Random(3);
        LogBucketSketch a = new LogBucketSketch(0.005);
        LogBucketSketch b = new LogBucketSketch(0.005);
        LogBucketSketch all = new LogBucketSketch(0.005);
        double[] values = new double[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 50 == 0 ? 0.0 : Math.exp(random.nextGaussian() * 3);
            (i % 2 == 0 ? a : b).add(values[i]);
            all.add(values[i]);
        }
        a.merge(b);
        Arrays.sort(values);
        assertThat(a.count()).isEqualTo(all.count()).isEqualTo(values.length);
        for (long rank = 0; rank < values.length; rank += 997) {
            assertThat(a.valueAtRank(rank)).isEqualTo(all.valueAtRank(rank));
            assertThat(a.valueAtRank(rank)).isCloseTo(values[(int) rank], within(values[(int) rank] * 0.005 + 1e-12));
        }
    }
}
