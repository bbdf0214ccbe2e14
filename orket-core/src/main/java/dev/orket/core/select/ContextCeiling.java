package dev.orket.core.select;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a summary's {@code context_ceilings}: how far one quant's context goes under the
 * sweep's context profile.
 *
 * @param model the model (family)
 * @param quantTag the quant tag
 * @param contextCeiling the largest context that passed, or null when none did
 * @param perContext each context the quant ran at
 * @since 0.1
 */
public record ContextCeiling(String model, String quantTag, @Nullable Integer contextCeiling,
        List<PerContext> perContext) {

    public ContextCeiling {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(quantTag, "quantTag");
        perContext = List.copyOf(perContext);
    }

    /**
     * One context of one quant.
     *
     * @param context the context in tokens
     * @param passed whether its medians met the profile's thresholds
     * @param reasons why it failed, empty when it passed
     * @param quality median quality (adherence), or null
     * @param speed median generation (decode) tokens per second, or null
     * @param ttftMs median client TTFT in ms, or null
     * @param vramMib median peak VRAM in MiB, or null
     */
    public record PerContext(int context, boolean passed, List<String> reasons, @Nullable Double quality,
            @Nullable Double speed, @Nullable Double ttftMs, @Nullable Double vramMib) {
        public PerContext {
            reasons = List.copyOf(reasons);
        }
    }
}
