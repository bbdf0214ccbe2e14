package dev.orket.provider.ollama.internal;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.telemetry.ServerNumbers;
import org.jspecify.annotations.Nullable;

/**
 * Turns the lines of a successful (2xx) Ollama response into canonical events. Streaming: one
 * {@link WireEvent.ContentDelta} per line with content ({@code tokenCount} 1: Ollama sends one token
 * per line; a thinking-only line is a delta with empty text, so it counts for time to first token but
 * adds nothing to the answer), then the final {@code done: true} line's metrics and
 * {@link WireEvent.Completed}. Non-streaming: one {@link WireEvent.ResponseBody}, the metrics,
 * {@link WireEvent.Completed}. A 200 is not a finished run: without {@code done: true} it is
 * {@code INCOMPLETE_RESPONSE}; an {@code error} line is {@code STREAM_ERROR}.
 */
public final class ResponseProcessor implements LineFramer.LineSink {

    private static final Integer ONE = 1;

    private final RunRequest request;
    private final GuardedRecorder recorder;
    private final PromptMemory memory;
    private final int httpStatus;
    private final LineParser parser = new LineParser();
    private final ParsedLine line = new ParsedLine();
    private long lines;
    private boolean finished;

    public ResponseProcessor(RunRequest request, GuardedRecorder recorder, PromptMemory memory, int httpStatus) {
        this.request = request;
        this.recorder = recorder;
        this.memory = memory;
        this.httpStatus = httpStatus;
    }

    /** Whether this processor reported the run's terminal event. */
    public boolean finished() {
        return finished;
    }

    @Override
    public boolean line(byte[] bytes, int offset, int length) {
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
            if (!recorder.record(new WireEvent.ResponseBody(line.content == null ? "" : line.content))) {
                return false;
            }
            return complete();
        }
        if (line.done) {
            if (line.content != null && !line.content.isEmpty()) {
                recorder.record(new WireEvent.ContentDelta(line.content, null));
            }
            return complete();
        }
        String text = line.content;
        if (text != null && !text.isEmpty()) {
            return recorder.record(new WireEvent.ContentDelta(text, ONE));
        }
        if (line.thinking != null && !line.thinking.isEmpty()) {
            return recorder.record(new WireEvent.ContentDelta("", ONE));
        }
        return true;
    }

    /** The body ended; reports what an unfinished response means. */
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
        recorder.end(new WireEvent.Completed(finishReason(line.doneReason)));
        return false;
    }

    private void reportMetrics() {
        // Counts and durations go to the recorder as the server said them: core judges implausible ones.
        Long promptTokens = line.hasPromptEvalCount ? Long.valueOf(line.promptEvalCount) : null;
        Long outputTokens = line.hasEvalCount ? Long.valueOf(line.evalCount) : null;
        if (promptTokens != null || outputTokens != null) {
            // Ollama does not say how many prompt tokens came from the KV cache.
            recorder.record(new WireEvent.ServerUsage(promptTokens, null, outputTokens));
        }
        String anomaly = UnitCheck.anomaly(line);
        // Durations are nanoseconds; an anomalous server evidently sent milliseconds (see UnitCheck).
        double perMilli = anomaly == null ? 1_000_000.0 : 1.0;
        if (anomaly != null) {
            recorder.record(new WireEvent.QualityFlag(RunQualityReason.UNIT_ANOMALY, anomaly));
        }
        Double promptMs = millis(line.hasPromptEvalDuration, line.promptEvalDuration, perMilli);
        Double generationMs = millis(line.hasEvalDuration, line.evalDuration, perMilli);
        Double loadMs = millis(line.hasLoadDuration, line.loadDuration, perMilli);
        if (promptMs != null || generationMs != null || loadMs != null) {
            recorder.record(new WireEvent.ServerTimings(promptMs, generationMs, loadMs));
        }
        if (promptTokens != null && promptTokens >= 0 && promptTokens <= ServerNumbers.MAX_TOKENS) {
            Long promptNanos = anomaly == null && line.hasPromptEvalDuration && line.promptEvalDuration >= 0
                    ? line.promptEvalDuration : null;
            PromptMemory.Finding finding = memory.observe(request.model(), request.promptStyle(), request.prompt(),
                    promptTokens, promptNanos, request.contextSize());
            if (finding.truncated()) {
                recorder.record(new WireEvent.QualityFlag(RunQualityReason.PROMPT_TRUNCATED,
                        String.valueOf(finding.truncationDetail())));
            }
            if (finding.cacheHit()) {
                recorder.record(new WireEvent.QualityFlag(RunQualityReason.PROMPT_CACHE_HIT,
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
