package dev.orket.provider.openai.internal;

import dev.orket.core.stream.JsonValues;
import org.jspecify.annotations.Nullable;

/**
 * The fields of one OpenAI-compatible JSON object (a stream chunk, a whole response body or an error body) that the
 * provider maps to canonical events. Mutable and reused per stream to keep the hot path allocation-light; counts use
 * {@link #ABSENT} and durations {@code NaN} for "not in the object", which never leaves this package.
 */
public final class ParsedChunk {
    /** Marks a count the object did not carry; counts are otherwise kept as the server wrote them. */
    public static final long ABSENT = JsonValues.ABSENT_COUNT;

    /** {@code choices} was an array (a completion object), and how many entries it had. */
    public int choices;
    /** Generated text of {@code choices[0]}: chat {@code delta.content} / {@code message.content}, completion {@code text}. */
    public @Nullable String content;
    /** {@code choices[0]} carried reasoning text ({@code reasoning_content} or {@code reasoning}) but no content. */
    public boolean reasoningOnly;
    /** {@code choices[0].finish_reason}. */
    public @Nullable String finishReason;
    /** vLLM's and SGLang's {@code choices[0].stop_reason} when it is a string: the stop sequence that matched. */
    public @Nullable String stopSequence;

    /** The object carried a {@code usage} object (not {@code null}). */
    public boolean hasUsage;
    public long usagePromptTokens;
    public long usageCompletionTokens;
    public long usageCachedTokens;

    /** The object carried llama-server's {@code timings} object. */
    public boolean hasTimings;
    public long timingsPromptN;
    public long timingsCacheN;
    public long timingsPredictedN;
    public double timingsPromptMs;
    public double timingsPredictedMs;

    /** The object carried vLLM's per-request {@code metrics} object (not {@code null}). */
    public boolean hasMetrics;
    public double metricsTimeToFirstTokenMs;
    public double metricsGenerationMs;

    /** The object was an error: {@code {"error":{...}}}, {@code {"error":"..."}} or {@code {"object":"error",...}}. */
    public boolean isError;
    public @Nullable String errorMessage;
    public @Nullable String errorType;
    /** The error's {@code code} as text (OpenAI writes a string such as {@code context_length_exceeded}, others a number). */
    public @Nullable String errorCode;
    /** llama-server's {@code n_ctx} of an {@code exceed_context_size_error}, or {@link #ABSENT}. */
    public long errorContextSize;
    /** llama-server's {@code n_prompt_tokens} of an {@code exceed_context_size_error}, or {@link #ABSENT}. */
    public long errorPromptTokens;

    /** The top-level {@code object} field, e.g. {@code chat.completion.chunk}. */
    public @Nullable String object;

    public ParsedChunk() {
        reset();
    }

    /** Clears every field. */
    public void reset() {
        choices = -1;
        content = null;
        reasoningOnly = false;
        finishReason = null;
        stopSequence = null;
        hasUsage = false;
        usagePromptTokens = ABSENT;
        usageCompletionTokens = ABSENT;
        usageCachedTokens = ABSENT;
        hasTimings = false;
        timingsPromptN = ABSENT;
        timingsCacheN = ABSENT;
        timingsPredictedN = ABSENT;
        timingsPromptMs = Double.NaN;
        timingsPredictedMs = Double.NaN;
        hasMetrics = false;
        metricsTimeToFirstTokenMs = Double.NaN;
        metricsGenerationMs = Double.NaN;
        isError = false;
        errorMessage = null;
        errorType = null;
        errorCode = null;
        errorContextSize = ABSENT;
        errorPromptTokens = ABSENT;
        object = null;
    }
}
