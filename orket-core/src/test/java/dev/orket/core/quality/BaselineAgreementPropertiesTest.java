package dev.orket.core.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BaselineAgreementPropertiesTest {

    /** The definition, computed the plain way: split both texts whole and fill the whole table. */
    static double reference(String a, String b) {
        String[] x = a.strip().isEmpty() ? new String[0] : a.strip().split("\\s+");
        String[] y = b.strip().isEmpty() ? new String[0] : b.strip().split("\\s+");
        int longest = Math.max(x.length, y.length);
        return longest == 0 ? 1.0 : 1.0 - (double) BaselineAgreementScorerFactory.levenshtein(x, y) / longest;
    }

    /** Random text over a few words, separators and odd white space, sharing a random head and tail. */
    private static String[] pair(Random random, int maxTokens) {
        String[] words = {"the", "cat", "sat", "on", "a", "mat", "The", "cat.", "\u00e9t\u00e9", "\uD83D\uDE00"};
        String[] gaps = {" ", "  ", "\t", "\n", " \r\n", "\u000B", "\f"};
        StringBuilder head = new StringBuilder();
        StringBuilder tail = new StringBuilder();
        StringBuilder[] middles = {new StringBuilder(), new StringBuilder()};
        for (StringBuilder part : new StringBuilder[] {head, tail, middles[0], middles[1]}) {
            int n = random.nextInt(maxTokens + 1);
            for (int i = 0; i < n; i++) {
                part.append(gaps[random.nextInt(gaps.length)]).append(words[random.nextInt(words.length)]);
            }
            part.append(gaps[random.nextInt(gaps.length)]);
        }
        String edge = random.nextBoolean() ? "\u2003" : "";
        return new String[] {edge + head + middles[0] + tail, head.toString() + middles[1] + tail + edge};
    }

    @Property(tries = 300)
    @Label("with the window at least the differing middles, the score is exactly the definition's")
    void exact(@ForAll long seed) {
        String[] texts = pair(new Random(seed), 12);

        assertThat(BaselineAgreementScorerFactory.similarity(texts[0], texts[1], 4096))
                .isEqualTo(reference(texts[0], texts[1]));
    }

    @Property(tries = 300)
    @Label("with a window smaller than the middles, the score never exceeds the definition's")
    void lowerBound(@ForAll long seed, @ForAll @IntRange(min = 0, max = 4) int window) {
        String[] texts = pair(new Random(seed), 12);

        double bounded = BaselineAgreementScorerFactory.similarity(texts[0], texts[1], window);

        assertThat(bounded).isLessThanOrEqualTo(reference(texts[0], texts[1])).isBetween(0.0, 1.0);
    }

    @Test
    @DisplayName("two 2,000,000-token runaway outputs are scored without splitting them whole")
    // A hang guard, not a speed target (that is the benchmark's): the whole-table algorithm needed 4 x 10^12 steps.
    @Timeout(120)
    void runaway() {
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            head.append("w").append(i).append(' ');
        }
        String output = head + "again ".repeat(2_000_000 - 64);
        String baseline = head + "other ".repeat(2_000_000 - 64);

        double score = BaselineAgreementScorerFactory.similarity(output, baseline,
                BaselineAgreementScorerFactory.EXACT_TOKENS);

        // The 64 shared tokens count as agreement; every other position differs, exactly as the definition says.
        assertThat(score).isCloseTo(64.0 / 2_000_000, within(1e-15));
        assertThat(BaselineAgreementScorerFactory.similarity(output, head.toString(),
                BaselineAgreementScorerFactory.EXACT_TOKENS)).isCloseTo(64.0 / 2_000_000, within(1e-15));
    }

    @Test
    @DisplayName("two long outputs that differ everywhere are scored within the window's bound")
    void longDifferentOutputs() {
        String a = "a ".repeat(10_000);
        String b = "b ".repeat(9_000);

        double score = BaselineAgreementScorerFactory.similarity(a, b, BaselineAgreementScorerFactory.EXACT_TOKENS);

        assertThat(score).isEqualTo(reference(a, b)).isEqualTo(0.0);
    }
}
