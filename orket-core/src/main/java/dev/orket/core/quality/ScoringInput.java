package dev.orket.core.quality;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a scorer sees of one run.
 *
 * @param output the text the model generated
 * @param baselineOutput the highest-precision quant's output for the same prompt and seed, or null when unknown
 * @since 0.1
 */
public record ScoringInput(String output, @Nullable String baselineOutput) {

    public ScoringInput {
        Objects.requireNonNull(output, "output");
    }

    /** An input without a baseline. */
    public static ScoringInput of(String output) {
        return new ScoringInput(output, null);
    }
}
