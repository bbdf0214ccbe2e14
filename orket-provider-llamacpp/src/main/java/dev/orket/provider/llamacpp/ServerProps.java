package dev.orket.provider.llamacpp;

import org.jspecify.annotations.Nullable;

/**
 * What a llama-server says about itself in {@code GET /props}.
 *
 * @param build the {@code build_info}, e.g. {@code b10587-3f545bec}, or null when not reported
 * @param modelPath the {@code model_path} (the server's {@code -m} argument verbatim), or null
 * @param contextSize the per-slot context in tokens ({@code default_generation_settings.n_ctx}), or null
 * @param ftype the server's human ftype name ({@code model_ftype}, e.g. {@code Q4_K - Medium}), or null
 * @param quantTag the quant tag from the ftype ({@link QuantTags#fromServerFtype}), else from the
 *     model path's file name, or null when neither is known
 * @param totalSlots {@code total_slots} ({@code --parallel}), or null
 * @since 0.1
 */
public record ServerProps(@Nullable String build, @Nullable String modelPath, @Nullable Integer contextSize,
        @Nullable String ftype, @Nullable String quantTag, @Nullable Integer totalSlots) {

    public ServerProps {
        if (contextSize != null && contextSize <= 0) {
            throw new IllegalArgumentException("contextSize must be > 0 but was " + contextSize);
        }
        if (totalSlots != null && totalSlots <= 0) {
            throw new IllegalArgumentException("totalSlots must be > 0 but was " + totalSlots);
        }
    }

    /** Props with the quant tag resolved from the ftype, else from the model path. */
    static ServerProps of(@Nullable String build, @Nullable String modelPath, @Nullable Integer contextSize,
            @Nullable String ftype, @Nullable Integer totalSlots) {
        String tag = QuantTags.fromServerFtype(ftype);
        if (tag == null && modelPath != null) {
            tag = QuantTags.fromFileName(modelPath);
        }
        return new ServerProps(build, modelPath, contextSize, ftype, tag, totalSlots);
    }
}
