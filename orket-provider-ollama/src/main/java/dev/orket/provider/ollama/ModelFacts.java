package dev.orket.provider.ollama;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@code POST /api/show} says about a model.
 *
 * @param model the model name as asked for, never null
 * @param quantizationLevel {@code details.quantization_level} (e.g. {@code Q4_K_M}), or null when absent
 * @param parameterSize {@code details.parameter_size} (e.g. {@code 8B}, {@code 2.23M}), or null when absent
 * @param family {@code details.family}, or null when absent
 * @param format {@code details.format} ({@code gguf}, {@code safetensors}), or null when absent
 * @param architecture {@code model_info["general.architecture"]}, or null when absent
 * @param parameterCount {@code model_info["general.parameter_count"]}, or null when absent
 * @param trainedContextLength {@code model_info["<architecture>.context_length"]}: the trained maximum in
 *     tokens, not the runtime {@code num_ctx}; null when absent
 * @param capabilities {@code capabilities} (e.g. {@code completion}, {@code tools}), never null, empty when absent
 * @since 0.1
 */
public record ModelFacts(String model, @Nullable String quantizationLevel, @Nullable String parameterSize,
        @Nullable String family, @Nullable String format, @Nullable String architecture, @Nullable Long parameterCount,
        @Nullable Integer trainedContextLength, List<String> capabilities) {

    public ModelFacts {
        Objects.requireNonNull(model, "model");
        capabilities = List.copyOf(capabilities);
    }
}
