package dev.orket.provider.ollama.internal;

import org.jspecify.annotations.Nullable;

/**
 * The fields of one Ollama response object the provider uses, filled by {@link LineParser}. Reused
 * from line to line (one instance per response) so the hot path allocates only the content text.
 * Metric fields are valid only when their {@code has…} flag is set: Ollama omits zero metrics, and
 * absent is not zero.
 */
public final class ParsedLine {
    boolean done;
    @Nullable String doneReason;
    @Nullable String error;
    @Nullable String content;
    @Nullable String thinking;
    boolean hasPromptEvalCount;
    long promptEvalCount;
    boolean hasEvalCount;
    long evalCount;
    boolean hasPromptEvalDuration;
    long promptEvalDuration;
    boolean hasEvalDuration;
    long evalDuration;
    boolean hasLoadDuration;
    long loadDuration;
    boolean hasTotalDuration;
    long totalDuration;

    void clear() {
        done = false;
        doneReason = null;
        error = null;
        content = null;
        thinking = null;
        hasPromptEvalCount = false;
        hasEvalCount = false;
        hasPromptEvalDuration = false;
        hasEvalDuration = false;
        hasLoadDuration = false;
        hasTotalDuration = false;
    }

    /** Whether the object is the final one ({@code "done": true}). */
    public boolean done() {
        return done;
    }

    /** The raw {@code done_reason}, or null when absent. */
    public @Nullable String doneReason() {
        return doneReason;
    }

    /** The {@code error} message, or null when the object is not an error. */
    public @Nullable String error() {
        return error;
    }

    /** {@code response} (generate) or {@code message.content} (chat), or null when absent. */
    public @Nullable String content() {
        return content;
    }

    /** {@code thinking} (generate) or {@code message.thinking} (chat), or null when absent. */
    public @Nullable String thinking() {
        return thinking;
    }

    /** {@code prompt_eval_count}, or null when absent. */
    public @Nullable Long promptEvalCount() {
        return hasPromptEvalCount ? promptEvalCount : null;
    }

    /** {@code eval_count}, or null when absent. */
    public @Nullable Long evalCount() {
        return hasEvalCount ? evalCount : null;
    }

    /** {@code prompt_eval_duration} in nanoseconds, or null when absent. */
    public @Nullable Long promptEvalDurationNanos() {
        return hasPromptEvalDuration ? promptEvalDuration : null;
    }

    /** {@code eval_duration} in nanoseconds, or null when absent. */
    public @Nullable Long evalDurationNanos() {
        return hasEvalDuration ? evalDuration : null;
    }

    /** {@code load_duration} in nanoseconds, or null when absent. */
    public @Nullable Long loadDurationNanos() {
        return hasLoadDuration ? loadDuration : null;
    }

    /** {@code total_duration} in nanoseconds, or null when absent. */
    public @Nullable Long totalDurationNanos() {
        return hasTotalDuration ? totalDuration : null;
    }
}
