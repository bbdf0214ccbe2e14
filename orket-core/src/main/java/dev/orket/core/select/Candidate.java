package dev.orket.core.select;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One (model, quant, context) a summary offers, with its medians and what blocks it.
 *
 * @param model the model (family)
 * @param quantTag the quant tag, or null when the runs carried none
 * @param context the context in tokens, or null when the sweep does not say
 * @param figures the medians and intervals the choice uses
 * @param bitsPerWeight the quant's nominal bits per weight, or null for an unknown tag
 * @param source the summary it came from (sweep id, and {@code context_ceilings} when from there)
 * @param blockedBy what keeps it from being selected, empty when it meets every constraint
 * @since 0.1
 */
public record Candidate(
        String model,
        @Nullable String quantTag,
        @Nullable Integer context,
        Figures figures,
        @Nullable Double bitsPerWeight,
        String source,
        List<SelectionBlock> blockedBy) {

    public Candidate {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(figures, "figures");
        Objects.requireNonNull(source, "source");
        blockedBy = List.copyOf(blockedBy);
    }

    /** Whether it meets every constraint. */
    public boolean eligible() {
        return blockedBy.isEmpty();
    }

    /** {@code model/quant@context}, for messages. */
    public String label() {
        return model + "/" + quantTag + (context == null ? "" : "@" + context);
    }

    /**
     * Medians, with the 95 % median intervals where the summary has them.
     *
     * @param quality median quality score, or null
     * @param qualityCi the interval [lower, upper], or null
     * @param speed median generation tokens per second, or null
     * @param speedCi the interval [lower, upper], or null
     * @param vramMib median peak VRAM in MiB, or null
     * @param ttftMs median client TTFT in ms, or null
     * @param contextPassed for a context-sweep candidate, whether the context passed; null otherwise
     */
    public record Figures(
            @Nullable Double quality,
            @Nullable Interval qualityCi,
            @Nullable Double speed,
            @Nullable Interval speedCi,
            @Nullable Double vramMib,
            @Nullable Double ttftMs,
            @Nullable Boolean contextPassed) {}

    /**
     * A 95 % median interval.
     *
     * @param lower the lower bound
     * @param upper the upper bound
     */
    public record Interval(double lower, double upper) {
        /** Whether the two intervals share no point. */
        boolean separateFrom(Interval other) {
            return upper < other.lower || other.upper < lower;
        }
    }

    Candidate blocked(List<SelectionBlock> blocks) {
        return new Candidate(model, quantTag, context, figures, bitsPerWeight, source, blocks);
    }
}
