package dev.orket.provider.ollama.internal;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.stream.Framing;
import dev.orket.core.stream.ResponseDecoder;
import dev.orket.core.stream.ResponseHead;
import dev.orket.core.stream.RunEvents;
import dev.orket.core.telemetry.ServerNumbers;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Turns the lines of a successful (2xx) Ollama response into canonical events. Streaming: one
 * {@link WireEvent.ContentDelta} per line with content ({@code tokenCount} 1: Ollama sends one token
 * per line; a thinking-only line is a delta with empty text, so it counts for time to first token but
 * adds nothing to the answer), then the final {@code done: true} line's metrics and
 * {@link WireEvent.Completed}. Non-streaming: one {@link WireEvent.ResponseBody}, the metrics,
 * {@link WireEvent.Completed}. A 200 is not a finished run: without {@code done: true} it is
 * {@code INCOMPLETE_RESPONSE}; an {@code error} line is {@code STREAM_ERROR}. Every 2xx body is read as
 * lines (the core's {@code HttpTransport} frames it); a non-2xx body is refined by {@link ErrorClassifier}.
 */
public final class ResponseProcessor implements ResponseDecoder {

    private static final Integer ONE = 1;

    private final RunRequest request;
    private final RunEvents recorder;
    private final PromptMemory memory;
    private final String path;
    private final LineParser parser = new LineParser();
    private final ParsedLine line = new ParsedLine();
    private int httpStatus = 200;
    private long lines;
    private boolean finished;

    /**
     * @param request the run
     * @param recorder the run's guarded events
     * @param memory the provider's memory of earlier runs' prompts
     * @param path the request path, e.g. {@code /api/generate}, for messages
     */
    public ResponseProcessor(RunRequest request, RunEvents recorder, PromptMemory memory, String path) {
        this.request = request;
        this.recorder = recorder;
        this.memory = memory;
        this.path = path;
    }

    /** Every 2xx body is NDJSON: one object per line (a non-streaming body is one line without a terminator). */
    @Override
    public Framing framing(ResponseHead head) {
        httpStatus = head.status();
        return Framing.LINES;
    }

    /** Not used: every 2xx body is read as lines ({@link #framing}); a whole body is read as its lines all the same. */
    @Override
    public void wholeBody(ResponseHead head, byte[] body, int length) {
        httpStatus = head.status();
        int start = 0;
        for (int i = 0; i <= length && !finished; i++) {
            if (i == length || body[i] == '\n') {
                if (!frame(body, start, i - start)) {
                    return;
                }
                start = i + 1;
            }
        }
        endOfBody();
    }

    /**
     * Classifies a non-2xx answer by status plus keywords ({@link ErrorClassifier}); a prompt longer than the
     * context also flags {@code PROMPT_TRUNCATED}.
     */
    @Override
    public WireEvent.Failed refineError(ResponseHead head, byte[] body, int length) {
        String serverError = ErrorBodies.errorMessage(body, length);
        ErrorClassifier.Classification classification = ErrorClassifier.classify(head.status(), head.contentType(),
                serverError, new String(body, 0, length, StandardCharsets.UTF_8), request.model(), path);
        if (classification.promptTruncated()) {
            recorder.emit(new WireEvent.QualityFlag(RunQualityReason.PROMPT_TRUNCATED,
                    "the server refused the prompt as longer than the context"));
        }
        return new WireEvent.Failed(classification.kind(), classification.message(), head.status());
    }

    /** Whether this processor reported the run's terminal event. */
    public boolean finished() {
        return finished;
    }

    @Override
    public boolean frame(byte[] bytes, int offset, int length) {
        try {
            if (!parser.parse(bytes, offset, length, line)) {
                return true;
            }
        } catch (LineParser.MalformedLineException e) {
            return fail(FailureKind.MALFORMED_RESPONSE, "line " + (lines + 1) + " of the response is not a JSON object: "
                    + e.getMessage());
        }
        lines++;
        if (line.error != null) {
            return fail(FailureKind.STREAM_ERROR, ErrorClassifier.midStream(line.error).message());
        }
        if (!request.stream()) {
            if (!line.done) {
                return fail(FailureKind.INCOMPLETE_RESPONSE, "the server answered " + httpStatus
                        + " with \"done\": false: its run ended without a final chunk (no metrics, not a finished run)");
            }
            if (!recorder.emit(new WireEvent.ResponseBody(line.content == null ? "" : line.content))) {
                return false;
            }
            return complete();
        }
        if (line.done) {
            if (line.content != null && !line.content.isEmpty()
                    && !recorder.emit(new WireEvent.ContentDelta(line.content, null))) {
                return false;
            }
            return complete();
        }
        String text = line.content;
        if (text != null && !text.isEmpty()) {
            return recorder.emit(new WireEvent.ContentDelta(text, ONE));
        }
        if (line.thinking != null && !line.thinking.isEmpty()) {
            return recorder.emit(new WireEvent.ContentDelta("", ONE));
        }
        return true;
    }

    /** The body ended; reports what an unfinished response means. */
    @Override
    public void endOfBody() {
        if (finished || recorder.ended()) {
            return;
        }
        if (lines == 0) {
            fail(FailureKind.INCOMPLETE_RESPONSE, "the server answered " + httpStatus + " with an empty body");
        } else if (request.stream()) {
            fail(FailureKind.INCOMPLETE_RESPONSE, "the stream ended after " + lines
                    + " lines without a \"done\": true line (the server's run was cut short)");
        } else {
            fail(FailureKind.INCOMPLETE_RESPONSE, "the body ended without a \"done\": true object");
        }
    }

    private boolean complete() {
        reportMetrics();
        finished = true;
        recorder.finish(new WireEvent.Completed(finishReason(line.doneReason)));
        return false;
    }

    private void reportMetrics() {
        // Counts and durations go to the recorder as the server said them: core judges implausible ones.
        Long promptTokens = line.hasPromptEvalCount ? Long.valueOf(line.promptEvalCount) : null;
        Long outputTokens = line.hasEvalCount ? Long.valueOf(line.evalCount) : null;
        if (promptTokens != null || outputTokens != null) {
            // Ollama does not say how many prompt tokens came from the KV cache.
            recorder.emit(new WireEvent.ServerUsage(promptTokens, null, outputTokens));
        }
        String anomaly = UnitCheck.anomaly(line);
        // Durations are nanoseconds; an anomalous server evidently sent milliseconds (see UnitCheck).
        double perMilli = anomaly == null ? 1_000_000.0 : 1.0;
        if (anomaly != null) {
            recorder.emit(new WireEvent.QualityFlag(RunQualityReason.UNIT_ANOMALY, anomaly));
        }
        Double promptMs = millis(line.hasPromptEvalDuration, line.promptEvalDuration, perMilli);
        Double generationMs = millis(line.hasEvalDuration, line.evalDuration, perMilli);
        Double loadMs = millis(line.hasLoadDuration, line.loadDuration, perMilli);
        if (promptMs != null || generationMs != null || loadMs != null) {
            recorder.emit(new WireEvent.ServerTimings(promptMs, generationMs, loadMs));
        }
        if (promptTokens != null && promptTokens >= 0 && promptTokens <= ServerNumbers.MAX_TOKENS) {
            Long promptNanos = anomaly == null && line.hasPromptEvalDuration && line.promptEvalDuration >= 0
                    ? line.promptEvalDuration : null;
            PromptMemory.Finding finding = memory.observe(request.model(), request.promptStyle(), request.prompt(),
                    promptTokens, promptNanos, request.contextSize());
            if (finding.truncated()) {
                recorder.emit(new WireEvent.QualityFlag(RunQualityReason.PROMPT_TRUNCATED,
                        String.valueOf(finding.truncationDetail())));
            }
            if (finding.cacheHit()) {
                recorder.emit(new WireEvent.QualityFlag(RunQualityReason.PROMPT_CACHE_HIT,
                        String.valueOf(finding.cacheDetail())));
            }
        }
    }

    /** {@code stop} → STOP, {@code length} → LENGTH, {@code load}/{@code unload}/other → OTHER, absent → null. */
    public static @Nullable FinishReason finishReason(@Nullable String doneReason) {
        if (doneReason == null || doneReason.isEmpty()) {
            return null;
        }
        switch (doneReason) {
            case "stop":
                return FinishReason.STOP;
            case "length":
                return FinishReason.LENGTH;
            default:
                return FinishReason.OTHER;
        }
    }

    private boolean fail(FailureKind kind, String message) {
        finished = true;
        recorder.fail(kind, message, httpStatus);
        return false;
    }

    private static @Nullable Double millis(boolean present, long value, double perMilli) {
        return present ? value / perMilli : null;
    }
}
