package dev.orket.testkit.server;

import static dev.orket.testkit.server.JsonFields.quote;

import dev.orket.api.FinishReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Ollama's native {@code /api/generate} and {@code /api/chat}: NDJSON lines, the last with
 * {@code done:true} and the six metrics in nanoseconds.
 */
final class OllamaWriter extends DialectWriter {

    private static final Instant EPOCH = Instant.parse("2026-08-22T09:30:00Z");

    private final boolean chat;

    OllamaWriter(boolean chat) {
        this.chat = chat;
    }

    @Override
    String path() {
        return chat ? "/api/chat" : "/api/generate";
    }

    @Override
    List<String[]> headers(boolean stream) {
        return List.of(new String[] {"Content-Type", stream ? "application/x-ndjson" : OllamaScripts.JSON_UTF8},
                new String[] {"Date", "Sat, 22 Aug 2026 09:30:00 GMT"});
    }

    /** Go's RFC3339Nano in UTC: fraction trimmed of trailing zeros. */
    static String createdAt(Duration offset) {
        Instant instant = EPOCH.plus(offset);
        String base = instant.toString();
        int dot = base.indexOf('.');
        String seconds = dot < 0 ? base.substring(0, base.length() - 1) : base.substring(0, dot);
        String fraction = String.format(java.util.Locale.ROOT, "%09d", instant.getNano()).replaceAll("0+$", "");
        return seconds + (fraction.isEmpty() ? "" : "." + fraction) + "Z";
    }

    private String piece(String text) {
        return chat ? "\"message\":{\"role\":\"assistant\",\"content\":" + quote(text) + "}" : "\"response\":" + quote(text);
    }

    private static byte[] line(String json) {
        return utf8(json + "\n");
    }

    @Override
    byte[] tokenEvent(Answer answer, int index, ScriptTimeline timeline, Shape shape) {
        return line("{\"model\":" + quote(answer.model()) + ",\"created_at\":\"" + createdAt(timeline.tokenAt(index))
                + "\"," + piece(answer.tokens().get(index)) + ",\"done\":false}");
    }

    private String last(Answer answer, ScriptTimeline timeline, Shape shape, String text) {
        Duration end = timeline.endAt(answer.outputTokens());
        StringBuilder json = new StringBuilder(256);
        json.append("{\"model\":").append(quote(answer.model())).append(",\"created_at\":\"").append(createdAt(end))
                .append("\",").append(piece(text)).append(",\"done\":true,\"done_reason\":")
                .append(quote(answer.finishReason() == FinishReason.LENGTH ? "length" : "stop"));
        if (shape == Shape.NO_COUNTS_NO_TIMINGS) {
            return json.append('}').toString();
        }
        // The unit fault writes milliseconds where Ollama writes nanoseconds.
        double scale = shape == Shape.DURATIONS_IN_MS ? 1.0 : 1_000_000.0;
        long total = Math.round(ScriptTimeline.millis(end.minus(timeline.clientOverhead())) * scale);
        if (shape != Shape.NO_TIMINGS) {
            json.append(",\"total_duration\":").append(total).append(",\"load_duration\":")
                    .append(Math.round(timeline.serverLoadMs() * scale));
        }
        json.append(",\"prompt_eval_count\":").append(answer.promptTokens());
        if (shape == Shape.ABSURD_NUMBERS) {
            // A negative duration, one at the edge of a double and a count past an int: none may reach a KPI.
            return json.append(",\"prompt_eval_duration\":-5,\"eval_count\":9e18,\"eval_duration\":1.7e308}")
                    .toString();
        }
        if (shape != Shape.NO_TIMINGS) {
            json.append(",\"prompt_eval_duration\":").append(Math.round(timeline.serverPromptMs() * scale));
        }
        json.append(",\"eval_count\":").append(answer.outputTokens());
        if (shape != Shape.NO_TIMINGS) {
            json.append(",\"eval_duration\":")
                    .append(Math.round(timeline.serverGenerationMs(answer.outputTokens()) * scale));
        }
        return json.append('}').toString();
    }

    @Override
    List<byte[]> closing(Answer answer, ScriptTimeline timeline, Shape shape) {
        return List.of(line(last(answer, timeline, shape, "")));
    }

    @Override
    byte[] nonStreamingBody(Answer answer, ScriptTimeline timeline, Shape shape) {
        return utf8(last(answer, timeline, shape, answer.text()));
    }

    @Override
    byte[] malformedEvent() {
        return utf8("{\"model\":\"tiny-random-llama:q4_k_m\",\"created_at\":\"2026-08-22T09:30:00.0031Z\",\"response\":\"ight\",\"done\":fal\n");
    }

    @Override
    byte[] errorEvent() {
        return line(chat
                ? "{\"error\":\"llama-server chat error: map[code:500 message:The model produced output that does not match the expected peg-native format type:server_error]\"}"
                : "{\"error\":\"an error was encountered while running the model: unexpected EOF\"}");
    }

    @Override
    byte[] rawTokenEvent(byte[] jsonStringContent) {
        return concat(utf8("{\"model\":\"tiny-random-llama:q4_k_m\",\"created_at\":\"2026-08-22T09:30:00.0031Z\","
                + (chat ? "\"message\":{\"role\":\"assistant\",\"content\":\"" : "\"response\":\"")),
                jsonStringContent, utf8(chat ? "\"},\"done\":false}\n" : "\",\"done\":false}\n"));
    }

    @Override
    byte[] keepAlive() {
        return utf8("\n");
    }

    @Override
    HttpError httpError(int status) {
        return OllamaScripts.error(status);
    }

    @Override
    boolean reportsLoad() {
        return true;
    }

    @Override
    boolean reportsCachedPromptTokens() {
        return false;
    }
}
