package dev.orket.core.recommend;

import dev.orket.core.frontier.FrontierCriteria;
import java.util.Objects;

/**
 * Every option that shapes the views of a summary; all of them are recorded in the summary.
 *
 * @param includeInvalid show rows from invalid runs, marked, in frontier and comparison views (changes nothing else)
 * @param recommendationIncludesInvalid let those rows be recommendation candidates; needs {@code includeInvalid}
 * @param criteria the frontier's eligibility thresholds
 * @since 0.1
 */
public record ViewOptions(boolean includeInvalid, boolean recommendationIncludesInvalid, FrontierCriteria criteria) {

    /** Valid runs only, default criteria. */
    public static final ViewOptions DEFAULT = new ViewOptions(false, false, FrontierCriteria.DEFAULT);

    public ViewOptions {
        Objects.requireNonNull(criteria, "criteria");
        if (recommendationIncludesInvalid && !includeInvalid) {
            throw new IllegalArgumentException("recommendationIncludesInvalid needs includeInvalid");
        }
    }
}
