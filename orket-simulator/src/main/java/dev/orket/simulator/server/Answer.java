package dev.orket.simulator.server;

import dev.orket.api.FinishReason;
import java.util.List;
import java.util.Objects;

/**
 * What a scripted server answers, independent of the dialect: the generated tokens (one per event),
 * the prompt's token count and why generation stopped.
 *
 * @param model the model name the server reports
 * @param tokens the generated pieces of text, one per streamed event, never null
 * @param promptTokens prompt tokens, cached ones included
 * @param cachedPromptTokens prompt tokens served from the KV cache (llama.cpp {@code cache_n})
 * @param finishReason why generation stopped: {@code LENGTH}, {@code STOP} or {@code STOP_SEQUENCE}
 * @since 0.1
 */
public record Answer(String model, List<String> tokens, int promptTokens, int cachedPromptTokens,
        FinishReason finishReason) {

    /** The 16 pieces the real tiny model produced for "The quick brown fox", seed 42 (completion-stream.http). */
    public static final List<String> FIXTURE_TOKENS = List.of("ight", "io", "  ", "ate", " no", " }", " Al", "isch",
            "to", "_{", "//", "('", " of", " using", "are", " kn");

    public Answer {
        Objects.requireNonNull(model, "model");
        tokens = List.copyOf(tokens);
        Objects.requireNonNull(finishReason, "finishReason");
        if (promptTokens < 1) {
            throw new IllegalArgumentException("promptTokens must be >= 1 but was " + promptTokens);
        }
        if (cachedPromptTokens < 0 || cachedPromptTokens >= promptTokens) {
            throw new IllegalArgumentException("cachedPromptTokens must be in [0, promptTokens) but was "
                    + cachedPromptTokens);
        }
    }

    /** The fixture answer: 16 tokens, 10 prompt tokens, none cached, stopped by the length limit. */
    public static Answer fixture(String model) {
        return new Answer(model, FIXTURE_TOKENS, 10, 0, FinishReason.LENGTH);
    }

    /** The number of generated tokens. */
    public int outputTokens() {
        return tokens.size();
    }

    /** Every token concatenated: what a non-streaming response carries. */
    public String text() {
        return String.join("", tokens);
    }

    /** Prompt tokens actually evaluated (not from the cache). */
    public int evaluatedPromptTokens() {
        return promptTokens - cachedPromptTokens;
    }

    public Answer withTokens(List<String> value) {
        return new Answer(model, value, promptTokens, cachedPromptTokens, finishReason);
    }

    public Answer withFinishReason(FinishReason value) {
        return new Answer(model, tokens, promptTokens, cachedPromptTokens, value);
    }

    public Answer withPrompt(int promptTokenCount, int cachedTokenCount) {
        return new Answer(model, tokens, promptTokenCount, cachedTokenCount, finishReason);
    }
}
