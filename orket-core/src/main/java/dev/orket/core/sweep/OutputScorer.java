package dev.orket.core.sweep;

import org.jspecify.annotations.Nullable;

/**
 * Scores one run's output for its prompt session.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface OutputScorer {

    /**
     * The output's quality in [0, 1], or null when it cannot be scored (e.g. no baseline yet).
     *
     * @param session the prompt session, naming its scorer and expected value
     * @param output the run's output text
     * @param baselineOutput the highest-precision quant's output for the same session and repetition, or null
     */
    @Nullable Double score(PromptSession session, String output, @Nullable String baselineOutput);
}
