package dev.orket.provider.openai.internal;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.RunQualityReason;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.stream.Framing;
import dev.orket.core.stream.JsonValues;
import dev.orket.core.stream.ResponseDecoder;
import dev.orket.core.stream.ResponseHead;
import dev.orket.core.stream.RunEvents;
import dev.orket.core.stream.SseFramer;
import org.jspecify.annotations.Nullable;

/**
 * Turns an OpenAI-compatible server's response (SSE chunks or a whole body) into canonical events for one run.
 *
 * <p>Raw to canonical (the servers' own rates, {@code tokens_per_second}, {@code predicted_per_second} and the like,
 * are never used: the core derives rates from counts and durations):
 *
 * <pre>
 * ServerUsage.promptTokens       = usage.prompt_tokens (else llama-server timings.prompt_n + timings.cache_n)
 * ServerUsage.cachedPromptTokens = usage.prompt_tokens_details.cached_tokens (else timings.cache_n)
 * ServerUsage.outputTokens       = usage.completion_tokens (else timings.predicted_n)
 * ServerTimings.promptMs         = llama-server timings.prompt_ms, else vLLM metrics.time_to_first_token_ms
 * ServerTimings.generationMs     = llama-server timings.predicted_ms, else vLLM metrics.generation_time_ms
 * ServerTimings.loadMs           = null (no OpenAI-compatible server reports a load per request)
 * QualityFlag MISSING_TOKEN_TIMINGS = neither timings nor metrics in the response, with why
 * ContentDelta                   = choices[0].delta.content / choices[0].text (non-empty), tokenCount null;
 *                                  a reasoning-only delta (reasoning_content, reasoning) is ContentDelta("")
 * ResponseBody                   = choices[0].message.content / choices[0].text
 * Completed.finishReason         = finish_reason stop -> STOP (STOP_SEQUENCE when stop_reason names a string),
 *                                  length -> LENGTH, other -> OTHER
 * QualityFlag PROMPT_TRUNCATED, ServerFacts.contextSize = an error saying the prompt exceeds the context
 *                                  (llama-server's error.n_ctx)
 * </pre>
 *
 * A stream ends with {@code data: [DONE]}; chunks after it are ignored, and a stream that ends cleanly without it is
 * {@code INCOMPLETE_RESPONSE}. Counts and timings are taken from the last chunk that carries them (the finish chunk, or
 * the usage chunk that {@code stream_options.include_usage} adds). The core's {@code HttpTransport} does the rest: a
 * 200 {@code text/event-stream} answer to a streaming request is framed as SSE, any other 2xx is read whole, a non-2xx
 * body is refined here ({@link ErrorClassifier}).
 */
public final class ResponseMapper implements ResponseDecoder {

    private final boolean streamRequested;
    private final String serverName;
    private final RunEvents emitter;
    private final ParsedChunk chunk = new ParsedChunk();

    private long usagePrompt = ParsedChunk.ABSENT;
    private long usageCached = ParsedChunk.ABSENT;
    private long usageCompletion = ParsedChunk.ABSENT;
    private long timingsPromptN = ParsedChunk.ABSENT;
    private long timingsCacheN = ParsedChunk.ABSENT;
    private long timingsPredictedN = ParsedChunk.ABSENT;
    private double timingsPromptMs = Double.NaN;
    private double timingsPredictedMs = Double.NaN;
    private boolean sawTimings;
    private double metricsPromptMs = Double.NaN;
    private double metricsGenerationMs = Double.NaN;
    private boolean sawMetrics;
    private @Nullable FinishReason finishReason;
    private long chunks;

    /**
     * @param streamRequested whether the run asked for a stream
     * @param serverName the server as messages name it
     * @param emitter the run's guarded recorder
     */
    public ResponseMapper(boolean streamRequested, String serverName, RunEvents emitter) {
        this.streamRequested = streamRequested;
        this.serverName = serverName;
        this.emitter = emitter;
    }

    /** Event streams ({@code 200 text/event-stream} to a streaming request) are framed; anything else is read whole. */
    @Override
    public Framing framing(ResponseHead head) {
        return streamRequested && head.isContentType("text/event-stream") ? Framing.SSE_EVENTS : Framing.WHOLE_BODY;
    }

    /** Handles one SSE event's data; returns false once the run ended. */
    @Override
    public boolean frame(byte[] bytes, int offset, int length) {
        if (emitter.ended()) {
            return false;
        }
        if (SseFramer.isDone(bytes, offset, length)) {
            return complete();
        }
        chunks++;
        try {
            ChunkReader.read(bytes, offset, length, chunk);
        } catch (ChunkReader.MalformedException e) {
            emitter.finish(new WireEvent.Failed(FailureKind.MALFORMED_RESPONSE, "chunk " + chunks + " of the "
                    + serverName + " stream is not its JSON: " + e.getMessage(), 200));
            return false;
        }
        if (chunk.isError) {
            reportErrorFacts(FailureKind.STREAM_ERROR);
            emitter.finish(new WireEvent.Failed(FailureKind.STREAM_ERROR, errorMessage(200), 200));
            return false;
        }
        accumulate();
        String content = chunk.content;
        if (content != null && !content.isEmpty()) {
            return emitter.emit(new WireEvent.ContentDelta(content, null));
        }
        if (chunk.reasoningOnly) {
            // A reasoning token is a token the model generated: it counts for the first token, not for the answer.
            return emitter.emit(new WireEvent.ContentDelta("", null));
        }
        return true;
    }

    /** The SSE stream ended (cleanly) without {@code data: [DONE]}. */
    @Override
    public void endOfBody() {
        if (emitter.ended()) {
            return;
        }
        emitter.finish(new WireEvent.Failed(FailureKind.INCOMPLETE_RESPONSE, serverName + "'s stream ended after "
                + chunks + " chunks without data: [DONE]" + (finishReason == null ? " and without a finish_reason"
                        : " (a finish_reason came, the end marker did not)"), 200));
    }

    /** Handles a whole (non-SSE) 2xx body. */
    @Override
    public void wholeBody(ResponseHead head, byte[] body, int length) {
        if (emitter.ended()) {
            return;
        }
        int httpStatus = head.status();
        try {
            ChunkReader.read(body, 0, length, chunk);
        } catch (ChunkReader.MalformedException e) {
            emitter.finish(new WireEvent.Failed(FailureKind.MALFORMED_RESPONSE, serverName + " answered HTTP "
                    + httpStatus + " on " + head.endpoint() + " with a body that is not its JSON ("
                    + head.describedContentType() + "): " + e.getMessage(), httpStatus));
            return;
        }
        if (chunk.isError) {
            FailureKind kind = ErrorClassifier.classify(chunk.errorType, chunk.errorCode, chunk.errorMessage,
                    httpStatus);
            reportErrorFacts(kind);
            emitter.finish(new WireEvent.Failed(kind, errorMessage(httpStatus), httpStatus));
            return;
        }
        if (streamRequested) {
            emitter.finish(new WireEvent.Failed(FailureKind.MALFORMED_RESPONSE, serverName + " answered a streaming"
                    + " request on " + head.endpoint() + " with " + head.describedContentType()
                    + " instead of text/event-stream", httpStatus));
            return;
        }
        if (chunk.choices < 0) {
            emitter.finish(new WireEvent.Failed(FailureKind.MALFORMED_RESPONSE, serverName + " answered HTTP "
                    + httpStatus + " on " + head.endpoint() + " with a JSON object without \"choices\" (object "
                    + (chunk.object == null ? "absent" : "'" + chunk.object + "'") + "): not a completion",
                    httpStatus));
            return;
        }
        accumulate();
        String content = chunk.content;
        if (emitter.emit(new WireEvent.ResponseBody(content == null ? "" : content))) {
            complete();
        }
    }

    /**
     * Refines a non-2xx answer by its error object ({@link ErrorClassifier}); an empty body, or one that is not JSON
     * with an error (a plain-text page of a server or proxy), leaves the status's baseline kind with its excerpt.
     */
    @Override
    public WireEvent.@Nullable Failed refineError(ResponseHead head, byte[] body, int length) {
        if (length == 0) {
            return null;
        }
        try {
            ChunkReader.read(body, 0, length, chunk);
        } catch (ChunkReader.MalformedException e) {
            return null;
        }
        if (!chunk.isError) {
            return null;
        }
        int httpStatus = head.status();
        FailureKind kind = ErrorClassifier.classify(chunk.errorType, chunk.errorCode, chunk.errorMessage, httpStatus);
        reportErrorFacts(kind);
        return new WireEvent.Failed(kind, serverName + " answered HTTP " + httpStatus + " on " + head.endpoint() + ": "
                + errorMessage(httpStatus), httpStatus);
    }

    private void accumulate() {
        ParsedChunk c = chunk;
        if (c.hasUsage) {
            usagePrompt = keep(c.usagePromptTokens, usagePrompt);
            usageCached = keep(c.usageCachedTokens, usageCached);
            usageCompletion = keep(c.usageCompletionTokens, usageCompletion);
        }
        if (c.hasTimings) {
            sawTimings = true;
            timingsPromptN = keep(c.timingsPromptN, timingsPromptN);
            timingsCacheN = keep(c.timingsCacheN, timingsCacheN);
            timingsPredictedN = keep(c.timingsPredictedN, timingsPredictedN);
            timingsPromptMs = Double.isNaN(c.timingsPromptMs) ? timingsPromptMs : c.timingsPromptMs;
            timingsPredictedMs = Double.isNaN(c.timingsPredictedMs) ? timingsPredictedMs : c.timingsPredictedMs;
        }
        if (c.hasMetrics) {
            sawMetrics = true;
            metricsPromptMs = Double.isNaN(c.metricsTimeToFirstTokenMs) ? metricsPromptMs : c.metricsTimeToFirstTokenMs;
            metricsGenerationMs = Double.isNaN(c.metricsGenerationMs) ? metricsGenerationMs : c.metricsGenerationMs;
        }
        if (c.finishReason != null) {
            finishReason = finish(c.finishReason, c.stopSequence);
        }
    }

    private boolean complete() {
        Long prompt = usagePrompt != ParsedChunk.ABSENT ? Long.valueOf(usagePrompt)
                : timingsPromptN != ParsedChunk.ABSENT && timingsCacheN != ParsedChunk.ABSENT
                        ? Long.valueOf(JsonValues.countSum(timingsPromptN, timingsCacheN)) : null;
        Long cached = present(usageCached != ParsedChunk.ABSENT ? usageCached : timingsCacheN);
        Long output = present(usageCompletion != ParsedChunk.ABSENT ? usageCompletion : timingsPredictedN);
        if (prompt != null || cached != null || output != null) {
            emitter.emit(new WireEvent.ServerUsage(prompt, cached, output));
        }
        boolean llamaTimings = !Double.isNaN(timingsPromptMs) || !Double.isNaN(timingsPredictedMs);
        boolean vllmMetrics = !Double.isNaN(metricsPromptMs) || !Double.isNaN(metricsGenerationMs);
        if (llamaTimings) {
            emitter.emit(new WireEvent.ServerTimings(orNull(timingsPromptMs), orNull(timingsPredictedMs), null));
        } else if (vllmMetrics) {
            emitter.emit(new WireEvent.ServerTimings(orNull(metricsPromptMs), orNull(metricsGenerationMs), null));
        } else {
            emitter.emit(new WireEvent.QualityFlag(RunQualityReason.MISSING_TOKEN_TIMINGS, missingTimings()));
        }
        emitter.finish(new WireEvent.Completed(finishReason));
        return false;
    }

    /** Why the run has no server durations, in the words a user can act on. */
    private String missingTimings() {
        if (sawTimings || sawMetrics) {
            return serverName + " sent " + (sawTimings ? "a timings" : "a metrics") + " object without durations";
        }
        return serverName + " reported no durations: the response carried neither llama-server's \"timings\" nor"
                + " vLLM's \"metrics\" (vLLM sends them when started with --enable-per-request-metrics; SGLang, TGI"
                + " and LM Studio send none on their OpenAI endpoints)";
    }

    private void reportErrorFacts(FailureKind kind) {
        if (kind != FailureKind.CONTEXT_EXCEEDED) {
            return;
        }
        long contextSize = chunk.errorContextSize;
        if (contextSize > 0 && contextSize <= Integer.MAX_VALUE) {
            emitter.emit(new WireEvent.ServerFacts((int) contextSize));
        }
        String detail = chunk.errorPromptTokens != ParsedChunk.ABSENT && contextSize != ParsedChunk.ABSENT
                ? "prompt of " + chunk.errorPromptTokens + " tokens exceeds the context of " + contextSize + " tokens"
                : "the server refused the prompt as longer than its context";
        emitter.emit(new WireEvent.QualityFlag(RunQualityReason.PROMPT_TRUNCATED, detail));
    }

    private String errorMessage(int httpStatus) {
        String message = chunk.errorMessage;
        if (message != null && !message.isEmpty()) {
            return message + (chunk.errorType == null ? "" : " (" + chunk.errorType + ")");
        }
        return serverName + " reported an error without a message (HTTP " + httpStatus
                + (chunk.errorType == null ? "" : ", type " + chunk.errorType) + ")";
    }

    /** OpenAI {@code finish_reason} (and vLLM's {@code stop_reason}) to the canonical finish reason. */
    public static FinishReason finish(String reason, @Nullable String stopSequence) {
        switch (reason) {
            case "stop":
                return stopSequence != null ? FinishReason.STOP_SEQUENCE : FinishReason.STOP;
            case "length":
                return FinishReason.LENGTH;
            default:
                return FinishReason.OTHER;
        }
    }

    private static long keep(long value, long previous) {
        return value != ParsedChunk.ABSENT ? value : previous;
    }

    private static @Nullable Long present(long value) {
        return value != ParsedChunk.ABSENT ? Long.valueOf(value) : null;
    }

    private static @Nullable Double orNull(double value) {
        return Double.isNaN(value) ? null : Double.valueOf(value);
    }
}
