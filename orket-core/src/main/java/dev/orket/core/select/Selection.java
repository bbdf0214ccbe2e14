package dev.orket.core.select;

import dev.orket.api.ExecutionLane;
import dev.orket.api.VramProfile;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the selector chose and why.
 *
 * @param executionLane the lane every summary shares
 * @param vramProfile the profile every summary shares
 * @param constraints what was asked
 * @param winner the selected candidate, or null when none meets every constraint
 * @param runnerUp the next eligible candidate in the frontier's order, or null
 * @param decision how the winner was told from the runner-up ({@code speed}, {@code quality},
 *     {@code smaller_vram_within_noise}, {@code ranking_within_noise}, {@code only_candidate}), or null
 * @param reasons why the winner, in sentences; when there is none, what blocked the candidates
 * @param candidates every candidate: eligible ones in the frontier's order, then blocked ones by label
 * @since 0.1
 */
public record Selection(
        ExecutionLane executionLane,
        VramProfile vramProfile,
        SelectionConstraints constraints,
        @Nullable Candidate winner,
        @Nullable Candidate runnerUp,
        @Nullable String decision,
        List<String> reasons,
        List<Candidate> candidates) {

    public Selection {
        Objects.requireNonNull(executionLane, "executionLane");
        Objects.requireNonNull(vramProfile, "vramProfile");
        Objects.requireNonNull(constraints, "constraints");
        reasons = List.copyOf(reasons);
        candidates = List.copyOf(candidates);
    }
}
