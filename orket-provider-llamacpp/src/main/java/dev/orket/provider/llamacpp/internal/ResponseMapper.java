package dev.orket.provider.llamacpp.internal;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.RunQualityReason;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.stream.Framing;
import dev.orket.core.stream.JsonValues;
import dev.orket.core.stream.JsonScan;
import dev.orket.core.stream.ResponseDecoder;
import dev.orket.core.stream.ResponseHead;
import dev.orket.core.stream.RunEvents;
import dev.orket.core.stream.SseFramer;
import org.jspecify.annotations.Nullable;

/**
 * Turns llama-server's response (SSE events or a whole body) into canonical events for one run.
 *
 * <p>Raw to canonical (b10587; the server's per-token and per-second rates are never used, since
 * b10406 divides by {@code predicted_n - 1} and older builds by {@code predicted_n}; the core
 * derives rates from counts and durations):
 *
 * <pre>
 * ServerUsage.promptTokens       = timings.prompt_n + timings.cache_n
 *                                  (else usage.prompt_tokens, else tokens_evaluated)
 * ServerUsage.cachedPromptTokens = timings.cache_n (else usage.prompt_tokens_details.cached_tokens)
 * ServerUsage.outputTokens       = timings.predicted_n (else usage.completion_tokens, else tokens_predicted)
 * ServerTimings.promptMs         = timings.prompt_ms
 * ServerTimings.generationMs     = timings.predicted_ms
 * ServerTimings.loadMs           = null (llama-server loads once at start)
 * ContentDelta                   = native partial: content, tokenCount = tokens.length;
 *                                  chat chunk: choices[0].delta.content, tokenCount null
 * ResponseBody                   = content / choices[0].message.content
 * Completed.finishReason         = stop_type eos|word|limit -> STOP|STOP_SEQUENCE|LENGTH;
 *                                  finish_reason stop|length -> STOP|LENGTH; other -> OTHER
 * QualityFlag PROMPT_TRUNCATED   = truncated:true, or an exceed_context_size_error
 * ServerFacts.contextSize        = error.n_ctx of an exceed_context_size_error
 * </pre>
 *
 * End markers: native streams end with the {@code "stop":true} event, chat streams with
 * {@code data: [DONE]}. Events after either are ignored. The core's {@code HttpTransport} does the rest:
 * a 200 {@code text/event-stream} answer to a streaming request is framed as SSE, any other 2xx is read
 * whole, a non-2xx body is refined here by its {@code error.type} ({@link ErrorClassifier}).
 */
public final class ResponseMapper implements ResponseDecoder {

    private final boolean chat;
    private final boolean streamRequested;
    private final RunEvents emitter;
    private final ParsedEvent event = new ParsedEvent();
    private final JsonScan scan = new JsonScan();

    private long promptN = ParsedEvent.ABSENT_COUNT;
    private long cacheN = ParsedEvent.ABSENT_COUNT;
    private long predictedN = ParsedEvent.ABSENT_COUNT;
    private double promptMs = Double.NaN;
    private double predictedMs = Double.NaN;
    private long usagePrompt = ParsedEvent.ABSENT_COUNT;
    private long usageCached = ParsedEvent.ABSENT_COUNT;
    private long usageCompletion = ParsedEvent.ABSENT_COUNT;
    private long tokensEvaluated = ParsedEvent.ABSENT_COUNT;
    private long tokensPredicted = ParsedEvent.ABSENT_COUNT;
    private boolean truncated;
    private @Nullable FinishReason finishReason;

    /**
     * @param chat whether the response comes from {@code /v1/chat/completions} (else {@code /completion})
     * @param streamRequested whether the run asked for a stream
     * @param emitter the run's guarded recorder
     */
    public ResponseMapper(boolean chat, boolean streamRequested, RunEvents emitter) {
        this.chat = chat;
        this.streamRequested = streamRequested;
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
            // A native stream has no [DONE]; one is taken as the end marker all the same.
            return complete();
        }
        try {
            EventReader.read(scan, bytes, offset, length, event);
        } catch (EventReader.MalformedException e) {
            emitter.finish(new WireEvent.Failed(FailureKind.MALFORMED_RESPONSE, e.getMessage(), 200));
            return false;
        }
        if (event.isError) {
            reportErrorFacts();
            emitter.finish(new WireEvent.Failed(FailureKind.STREAM_ERROR, errorMessage(200), 200));
            return false;
        }
        if (chat) {
            accumulate();
            if (event.finishReason != null) {
                finishReason = openAiFinish(event.finishReason);
            }
            String content = event.content;
            return content == null || content.isEmpty() || emitter.emit(new WireEvent.ContentDelta(content, null));
        }
        String content = event.content;
        int tokens = event.tokensLength;
        if (event.stop) {
            // Counts and timings come from the final event only: partials carry running figures.
            accumulate();
            if (content != null && !content.isEmpty()
                    && !emitter.emit(new WireEvent.ContentDelta(content, tokens == ParsedEvent.ABSENT ? null : tokens))) {
                return false;
            }
            finishReason = nativeFinish(event.stopType);
            return complete();
        }
        if (event.promptProgress && (content == null || content.isEmpty())) {
            return true;
        }
        if ((content != null && !content.isEmpty()) || (tokens != ParsedEvent.ABSENT && tokens > 0)) {
            return emitter.emit(new WireEvent.ContentDelta(content == null ? "" : content,
                    tokens == ParsedEvent.ABSENT ? null : tokens));
        }
        return true;
    }

    /** The SSE stream ended (cleanly) without its end marker. */
    @Override
    public void endOfBody() {
        if (emitter.ended()) {
            return;
        }
        String marker = chat ? "data: [DONE]" : "an event with \"stop\":true";
        emitter.finish(new WireEvent.Failed(FailureKind.INCOMPLETE_RESPONSE,
                "llama-server's stream ended without " + marker, 200));
    }

    /** Handles a whole (non-SSE) 2xx body. */
    @Override
    public void wholeBody(ResponseHead head, byte[] body, int length) {
        if (emitter.ended()) {
            return;
        }
        int httpStatus = head.status();
        try {
            EventReader.read(body, 0, length, event);
        } catch (EventReader.MalformedException e) {
            // A truncated body, a page from something that is not llama-server.
            emitter.finish(new WireEvent.Failed(FailureKind.MALFORMED_RESPONSE, "llama-server answered HTTP "
                    + httpStatus + " with a body that is not its JSON (" + head.describedContentType() + "): "
                    + e.getMessage(), httpStatus));
            return;
        }
        if (event.isError) {
            reportErrorFacts();
            emitter.finish(new WireEvent.Failed(ErrorClassifier.classify(event.errorType, event.errorMessage,
                    httpStatus), errorMessage(httpStatus), httpStatus));
            return;
        }
        if (streamRequested) {
            emitter.finish(new WireEvent.Failed(FailureKind.MALFORMED_RESPONSE,
                    "llama-server answered a streaming request with " + head.describedContentType()
                            + " instead of text/event-stream", httpStatus));
            return;
        }
        accumulate();
        String content = event.content;
        if (!emitter.emit(new WireEvent.ResponseBody(content == null ? "" : content))) {
            return;
        }
        finishReason = chat ? openAiFinish(event.finishReason) : nativeFinish(event.stopType);
        complete();
    }

    /**
     * Refines a non-2xx answer by llama-server's {@code error.type}; a non-empty body that is not llama-server's
     * JSON is {@code MALFORMED_RESPONSE} (llama-server always answers errors in JSON); an empty body or JSON without
     * an error object leaves the status's baseline kind.
     */
    @Override
    public WireEvent.@Nullable Failed refineError(ResponseHead head, byte[] body, int length) {
        int httpStatus = head.status();
        if (length == 0) {
            return null;
        }
        try {
            EventReader.read(body, 0, length, event);
        } catch (EventReader.MalformedException e) {
            return new WireEvent.Failed(FailureKind.MALFORMED_RESPONSE, "llama-server answered HTTP " + httpStatus
                    + " with a body that is not its JSON (" + head.describedContentType() + "): " + e.getMessage(),
                    httpStatus);
        }
        if (!event.isError) {
            return null;
        }
        reportErrorFacts();
        return new WireEvent.Failed(ErrorClassifier.classify(event.errorType, event.errorMessage, httpStatus),
                errorMessage(httpStatus), httpStatus);
    }

    private void accumulate() {
        ParsedEvent e = event;
        if (e.hasTimings) {
            if (e.promptN != ParsedEvent.ABSENT_COUNT) {
                promptN = e.promptN;
            }
            if (e.cacheN != ParsedEvent.ABSENT_COUNT) {
                cacheN = e.cacheN;
            }
            if (e.predictedN != ParsedEvent.ABSENT_COUNT) {
                predictedN = e.predictedN;
            }
            if (!Double.isNaN(e.promptMs)) {
                promptMs = e.promptMs;
            }
            if (!Double.isNaN(e.predictedMs)) {
                predictedMs = e.predictedMs;
            }
        }
        if (e.hasUsage) {
            usagePrompt = e.usagePromptTokens;
            usageCached = e.usageCachedTokens;
            usageCompletion = e.usageCompletionTokens;
        }
        if (e.tokensEvaluated != ParsedEvent.ABSENT_COUNT) {
            tokensEvaluated = e.tokensEvaluated;
        }
        if (e.tokensPredicted != ParsedEvent.ABSENT_COUNT) {
            tokensPredicted = e.tokensPredicted;
        }
        truncated |= e.truncated;
    }

    private boolean complete() {
        Long prompt = promptN != ParsedEvent.ABSENT_COUNT && cacheN != ParsedEvent.ABSENT_COUNT
                ? Long.valueOf(JsonValues.countSum(promptN, cacheN))
                : firstPresent(usagePrompt, tokensEvaluated, promptN);
        Long cached = firstPresent(cacheN, usageCached, ParsedEvent.ABSENT_COUNT);
        Long output = firstPresent(predictedN, usageCompletion, tokensPredicted);
        if (prompt != null || cached != null || output != null) {
            emitter.emit(new WireEvent.ServerUsage(prompt, cached, output));
        }
        if (!Double.isNaN(promptMs) || !Double.isNaN(predictedMs)) {
            emitter.emit(new WireEvent.ServerTimings(Double.isNaN(promptMs) ? null : promptMs,
                    Double.isNaN(predictedMs) ? null : predictedMs, null));
        }
        if (truncated) {
            emitter.emit(new WireEvent.QualityFlag(RunQualityReason.PROMPT_TRUNCATED,
                    "llama-server reported truncated: true (the context filled up)"));
        }
        emitter.finish(new WireEvent.Completed(finishReason));
        return false;
    }

    private void reportErrorFacts() {
        if ("exceed_context_size_error".equals(event.errorType)) {
            if (event.errorContextSize != ParsedEvent.ABSENT) {
                emitter.emit(new WireEvent.ServerFacts(event.errorContextSize));
            }
            String detail = event.errorPromptTokens != ParsedEvent.ABSENT && event.errorContextSize != ParsedEvent.ABSENT
                    ? "prompt of " + event.errorPromptTokens + " tokens exceeds the context of "
                            + event.errorContextSize + " tokens"
                    : "prompt exceeds the server's context";
            emitter.emit(new WireEvent.QualityFlag(RunQualityReason.PROMPT_TRUNCATED, detail));
        }
    }

    private String errorMessage(int httpStatus) {
        String message = event.errorMessage;
        if (message != null && !message.isEmpty()) {
            return message;
        }
        return event.isError ? "llama-server reported an error without a message (HTTP " + httpStatus + ")"
                : "HTTP " + httpStatus;
    }

    private static @Nullable Long firstPresent(long a, long b, long c) {
        if (a != ParsedEvent.ABSENT_COUNT) {
            return a;
        }
        if (b != ParsedEvent.ABSENT_COUNT) {
            return b;
        }
        return c != ParsedEvent.ABSENT_COUNT ? Long.valueOf(c) : null;
    }

    /** Native {@code stop_type} to the canonical finish reason; null when absent. */
    public static @Nullable FinishReason nativeFinish(@Nullable String stopType) {
        if (stopType == null) {
            return null;
        }
        switch (stopType) {
            case "eos":
                return FinishReason.STOP;
            case "word":
                return FinishReason.STOP_SEQUENCE;
            case "limit":
                return FinishReason.LENGTH;
            default:
                return FinishReason.OTHER;
        }
    }

    /** OpenAI {@code finish_reason} to the canonical finish reason; null when absent. */
    public static @Nullable FinishReason openAiFinish(@Nullable String reason) {
        if (reason == null) {
            return null;
        }
        switch (reason) {
            case "stop":
                return FinishReason.STOP;
            case "length":
                return FinishReason.LENGTH;
            default:
                return FinishReason.OTHER;
        }
    }
}
