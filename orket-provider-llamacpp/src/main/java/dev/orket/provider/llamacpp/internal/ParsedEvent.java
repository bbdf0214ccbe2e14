package dev.orket.provider.llamacpp.internal;

import dev.orket.core.stream.JsonValues;
import org.jspecify.annotations.Nullable;

/**
 * The fields of one llama-server JSON object (a stream event or a whole response body) that the
 * provider maps to canonical events. Mutable and reused per stream to keep the hot path
 * allocation-light; integers use {@link #ABSENT} and doubles {@code NaN} for "not in the object",
 * which never leaves this package.
 */
public final class ParsedEvent {
    /** Marks an integer field the object did not carry. */
    public static final int ABSENT = Integer.MIN_VALUE;
    /**
     * Marks a server count the object did not carry. Counts are kept as the server said them (negative or
     * huge included) for the recorder to judge; only a count beyond a long is held as {@code Long.MAX_VALUE}.
     */
    public static final long ABSENT_COUNT = JsonValues.ABSENT_COUNT;

    /** Generated text: native {@code content}, chat {@code delta.content} or {@code message.content}. */
    public @Nullable String content;
    /** Length of the native {@code tokens} array, or ABSENT. */
    public int tokensLength;
    /** Native {@code stop}. */
    public boolean stop;
    /** The object carried {@code prompt_progress} (a prompt-processing event, not a token). */
    public boolean promptProgress;
    /** Native {@code stop_type}. */
    public @Nullable String stopType;
    /** OpenAI {@code choices[0].finish_reason}. */
    public @Nullable String finishReason;
    /** OpenAI {@code choices} was present (and how many entries). */
    public int choices;
    /** Native {@code truncated}. */
    public boolean truncated;
    /** Native {@code tokens_predicted}. */
    public long tokensPredicted;
    /** Native {@code tokens_evaluated}. */
    public long tokensEvaluated;

    /** The object carried a {@code timings} object. */
    public boolean hasTimings;
    public long cacheN;
    public long promptN;
    public double promptMs;
    public long predictedN;
    public double predictedMs;

    /** The object carried a {@code usage} object. */
    public boolean hasUsage;
    public long usagePromptTokens;
    public long usageCompletionTokens;
    public long usageCachedTokens;

    /** The object was an error: {@code {"error":{...}}}. */
    public boolean isError;
    public int errorCode;
    public @Nullable String errorMessage;
    public @Nullable String errorType;
    public int errorPromptTokens;
    public int errorContextSize;

    /** Clears every field. */
    public void reset() {
        content = null;
        tokensLength = ABSENT;
        stop = false;
        promptProgress = false;
        stopType = null;
        finishReason = null;
        choices = ABSENT;
        truncated = false;
        tokensPredicted = ABSENT_COUNT;
        tokensEvaluated = ABSENT_COUNT;
        hasTimings = false;
        cacheN = ABSENT_COUNT;
        promptN = ABSENT_COUNT;
        promptMs = Double.NaN;
        predictedN = ABSENT_COUNT;
        predictedMs = Double.NaN;
        hasUsage = false;
        usagePromptTokens = ABSENT_COUNT;
        usageCompletionTokens = ABSENT_COUNT;
        usageCachedTokens = ABSENT_COUNT;
        isError = false;
        errorCode = ABSENT;
        errorMessage = null;
        errorType = null;
        errorPromptTokens = ABSENT;
        errorContextSize = ABSENT;
    }

    public ParsedEvent() {
        reset();
    }
}
