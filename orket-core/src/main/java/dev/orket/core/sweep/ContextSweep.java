package dev.orket.core.sweep;

import dev.orket.core.recommend.ContextThresholds;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A context sweep ({@code context_sweep} in the sweep config): every quant runs at every context, its prompts filled
 * to {@code promptFill} of the context, and each (quant, context) is judged against the thresholds
 * ({@code docs/sweep.md#context-sweeps}).
 *
 * @param profile the context sweep profile the contexts and thresholds came from ({@code safe}, {@code balanced},
 *     {@code stress}), or null for inline values
 * @param profilesFile the profile file as the config named it, or null for the shipped one (or inline values)
 * @param contexts the contexts in tokens, ascending, each a cell's server context ({@code -c}, {@code num_ctx})
 * @param thresholds what each (quant, context) must reach
 * @param promptFill the fraction of each context the filler takes ({@link ContextFill}), in [0, 0.95]
 * @since 0.1
 */
public record ContextSweep(@Nullable String profile, @Nullable String profilesFile, List<Integer> contexts,
        ContextThresholds thresholds, double promptFill) {

    /** The default {@code prompt_fill}: the filler takes half of each context. */
    public static final double DEFAULT_PROMPT_FILL = 0.5;

    /** The largest {@code prompt_fill}: the rest of the context holds the session prompt and the output. */
    public static final double MAX_PROMPT_FILL = 0.95;

    public ContextSweep {
        contexts = List.copyOf(contexts);
        Objects.requireNonNull(thresholds, "thresholds");
        if (contexts.isEmpty()) {
            throw new IllegalArgumentException("context_sweep.contexts must hold at least one context");
        }
        int previous = 0;
        for (int context : contexts) {
            if (context < 1 || context > SweepConfig.MAX_CONTEXT_SIZE) {
                throw new IllegalArgumentException("context_sweep.contexts must be in [1, " + SweepConfig.MAX_CONTEXT_SIZE
                        + "] but held " + context);
            }
            if (context <= previous) {
                throw new IllegalArgumentException("context_sweep.contexts must be ascending without repeats but was "
                        + contexts);
            }
            previous = context;
        }
        if (!(promptFill >= 0 && promptFill <= MAX_PROMPT_FILL)) {
            throw new IllegalArgumentException("context_sweep.prompt_fill must be in [0, " + MAX_PROMPT_FILL
                    + "] but was " + promptFill);
        }
    }
}
