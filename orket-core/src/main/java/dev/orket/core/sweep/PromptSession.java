package dev.orket.core.sweep;

import dev.orket.api.PromptStyle;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One prompt a sweep runs on every quant, with the scorer that judges its outputs.
 *
 * @param id a stable id, used in run ids
 * @param prompt the prompt text
 * @param style completion or chat
 * @param maxOutputTokens the output token limit
 * @param scorer the quality scorer's id (e.g. {@code baseline_agreement}, {@code exact}, {@code contains})
 * @param expected the scorer's expected value (text, pattern, schema), or null
 * @since 0.1
 */
public record PromptSession(
        String id, String prompt, PromptStyle style, int maxOutputTokens, String scorer, @Nullable String expected) {

    public PromptSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(style, "style");
        Objects.requireNonNull(scorer, "scorer");
        if (!id.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("session id must match [A-Za-z0-9_.-]+ but was '" + id + "'");
        }
        if (maxOutputTokens <= 0) {
            throw new IllegalArgumentException("max_output_tokens must be > 0 but was " + maxOutputTokens);
        }
    }
}
