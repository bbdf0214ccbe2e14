package dev.orket.core.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.ExecutionLane;
import dev.orket.api.VramProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;

class ModelSelectorProperties {

    private static final String[] TAGS = {"F16", "Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "XYZ"};

    @Property(tries = 300)
    @Label("the winner meets every constraint, no eligible candidate dominates it, and order of input does not matter")
    void winnerIsSoundAndStable(@ForAll long seed) {
        Random random = new Random(seed);
        List<Candidate> offered = new ArrayList<>();
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
            Double quality = random.nextInt(10) == 0 ? null : random.nextInt(11) / 10.0;
            Double speed = random.nextInt(10) == 0 ? null : (double) random.nextInt(5) * 10;
            Double vram = random.nextInt(10) == 0 ? null : (double) (1 + random.nextInt(5)) * 1000;
            Double ttft = random.nextInt(10) == 0 ? null : (double) random.nextInt(300);
            Integer context = random.nextInt(4) == 0 ? null : 1024 << random.nextInt(4);
            double s = speed == null ? 0 : speed;
            Candidate.Interval ci = random.nextBoolean() ? null : new Candidate.Interval(s - random.nextInt(8), s + random.nextInt(8));
            String tag = TAGS[random.nextInt(TAGS.length)];
            offered.add(new Candidate("m" + random.nextInt(3), tag, context,
                    new Candidate.Figures(quality, null, speed, ci, vram, ttft, random.nextInt(6) == 0 ? Boolean.FALSE : null),
                    tag.equals("XYZ") ? null : 1.0 + i, "s" + i, List.of()));
        }
        SelectionConstraints constraints = new SelectionConstraints(1000L * (1 + random.nextInt(5)),
                random.nextInt(11) / 10.0, random.nextBoolean() ? null : (double) (1 + random.nextInt(300)),
                random.nextBoolean() ? null : 1024 << random.nextInt(4));

        Selection s = ModelSelector.select(ExecutionLane.LAB, VramProfile.BALANCED, offered, constraints);
        List<Candidate> shuffled = new ArrayList<>(offered);
        Collections.shuffle(shuffled, random);
        Selection again = ModelSelector.select(ExecutionLane.LAB, VramProfile.BALANCED, shuffled, constraints);

        assertThat(again.candidates()).isEqualTo(s.candidates());
        assertThat(again.winner()).isEqualTo(s.winner());
        Candidate winner = s.winner();
        List<Candidate> eligible = s.candidates().stream().filter(Candidate::eligible).toList();
        if (winner == null) {
            assertThat(eligible).isEmpty();
            return;
        }
        assertThat(winner.blockedBy()).isEmpty();
        assertThat(winner.figures().quality()).isGreaterThanOrEqualTo(constraints.qualityFloor());
        assertThat(winner.figures().vramMib()).isLessThanOrEqualTo((double) constraints.vramBudgetMib());
        if (constraints.latencyCeilingMs() != null) {
            assertThat(winner.figures().ttftMs()).isLessThanOrEqualTo(constraints.latencyCeilingMs());
        }
        if (constraints.context() != null) {
            assertThat(winner.context()).isGreaterThanOrEqualTo(constraints.context());
        }
        for (Candidate other : eligible) {
            boolean dominates = other.figures().quality() >= winner.figures().quality()
                    && other.figures().speed() >= winner.figures().speed()
                    && other.figures().vramMib() <= winner.figures().vramMib()
                    && (other.figures().quality() > winner.figures().quality()
                            || other.figures().speed() > winner.figures().speed()
                            || other.figures().vramMib() < winner.figures().vramMib());
            assertThat(dominates).as("%s dominates the winner %s", other.label(), winner.label()).isFalse();
        }
    }
}
