package dev.orket.core.quality;

import org.jspecify.annotations.Nullable;

/**
 * A prompt session's scorer settings. Each scorer reads the settings it needs and fails closed
 * when one is missing.
 *
 * @param expected the expected text ({@code exact}, {@code contains})
 * @param pattern a {@link java.util.regex.Pattern} ({@code regex}), searched for anywhere in the output
 * @param jsonSchema a JSON Schema document the output must conform to ({@code json}, optional)
 * @param caseSensitive whether {@code exact}, {@code contains} and {@code regex} compare case
 * @since 0.1
 */
public record ScorerConfig(
        @Nullable String expected, @Nullable String pattern, @Nullable String jsonSchema, boolean caseSensitive) {

    /** No settings, case-sensitive. */
    public static final ScorerConfig NONE = new ScorerConfig(null, null, null, true);

    /** Settings with an expected text. */
    public static ScorerConfig expecting(String expected) {
        return new ScorerConfig(expected, null, null, true);
    }

    /** Settings with a pattern. */
    public static ScorerConfig matching(String pattern) {
        return new ScorerConfig(null, pattern, null, true);
    }

    /** Settings with a JSON Schema. */
    public static ScorerConfig conformingTo(String jsonSchema) {
        return new ScorerConfig(null, null, jsonSchema, true);
    }
}
