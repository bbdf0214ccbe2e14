package dev.orket.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

class SimulatedQuantFamilyPropertiesTest {

    private final SimulatedQuantFamily family = SimulatedQuantFamily.standard();

    @Property(tries = 200)
    void outputsAreDeterministic(@ForAll @StringLength(max = 40) String prompt, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 64) int count) {
        for (QuantProfile quant : family.quants()) {
            assertThat(SimulatedQuantFamily.generate(quant, prompt, seed, count))
                    .isEqualTo(SimulatedQuantFamily.generate(quant, prompt, seed, count)).hasSize(count);
        }
    }

    @Property(tries = 200)
    void lowerBitsDeviateWhereHigherBitsDo(@ForAll @StringLength(max = 40) String prompt, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 64) int count) {
        List<String> baseline = SimulatedQuantFamily.baseline(prompt, seed, count);
        List<QuantProfile> quants = family.quants();
        for (int q = 1; q < quants.size(); q++) {
            List<String> higher = SimulatedQuantFamily.generate(quants.get(q - 1), prompt, seed, count);
            List<String> lower = SimulatedQuantFamily.generate(quants.get(q), prompt, seed, count);
            for (int i = 0; i < count; i++) {
                if (!higher.get(i).equals(baseline.get(i))) {
                    assertThat(lower.get(i)).isNotEqualTo(baseline.get(i));
                }
            }
            assertThat(SimulatedQuantFamily.agreement(baseline, lower))
                    .isCloseTo(1.0 - Math.floor(quants.get(q).deviationFraction() * count) / count, within(1e-12));
        }
    }
}
