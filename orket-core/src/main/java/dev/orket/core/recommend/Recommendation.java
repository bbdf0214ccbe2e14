package dev.orket.core.recommend;

import dev.orket.core.frontier.ComparisonGroup;
import dev.orket.core.frontier.FrontierRow;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The quant to run for one model, lane and profile, and why.
 *
 * @param group the model, lane and profile
 * @param winner the recommended quant's row, or null when no quant is eligible
 * @param runnerUp the second candidate, or null when there is at most one
 * @param decision what decided between them, or null when there is no winner
 * @param speedDifferenceExceedsNoise whether the winner's and runner-up's generation speed intervals do not overlap;
 *     false when either interval is unavailable, null without a runner-up
 * @param qualityDifferenceExceedsNoise the same for quality
 * @param noRecommendationReason why there is no winner, or null
 * @param includesInvalid whether rows from invalid runs were candidates (only when asked)
 * @param notes human sentences about the decision, in order
 * @since 0.1
 */
public record Recommendation(
        ComparisonGroup group,
        @Nullable FrontierRow winner,
        @Nullable FrontierRow runnerUp,
        @Nullable Decision decision,
        @Nullable Boolean speedDifferenceExceedsNoise,
        @Nullable Boolean qualityDifferenceExceedsNoise,
        @Nullable String noRecommendationReason,
        boolean includesInvalid,
        List<String> notes) {

    public Recommendation {
        Objects.requireNonNull(group, "group");
        notes = List.copyOf(notes);
        if ((winner == null) == (noRecommendationReason == null)) {
            throw new IllegalArgumentException("exactly one of winner and noRecommendationReason must be present");
        }
        if ((winner == null) != (decision == null)) {
            throw new IllegalArgumentException("decision must be present exactly when there is a winner");
        }
    }
}
