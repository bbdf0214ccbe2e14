package dev.orket.simulator.server;

import static dev.orket.simulator.server.JsonFields.quote;

import dev.orket.api.FinishReason;
import dev.orket.api.PromptStyle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Ollama's native {@code /api/generate} and {@code /api/chat}: NDJSON lines, the last with
 * {@code done:true} and the six metrics in nanoseconds.
 */
final class OllamaDialect implements ServerDialect {

    private static final Instant EPOCH = Instant.parse("2026-08-22T09:30:00Z");

    private final boolean chat;

    OllamaDialect(boolean chat) {
        this.chat = chat;
    }

    @Override
    public String name() {
        return chat ? "ollama_chat" : "ollama_generate";
    }

    @Override
    public String server() {
        return "ollama";
    }

    @Override
    public PromptStyle promptStyle() {
        return chat ? PromptStyle.CHAT : PromptStyle.COMPLETION;
    }

    @Override
    public boolean supports(Shape shape) {
        // Durations in nanoseconds can come in the wrong unit; NDJSON has no terminator to double or drop.
        return shape != Shape.DUPLICATED_DONE && shape != Shape.NO_DONE;
    }

    @Override
    public Dispatcher dispatcher(String model, boolean ready, Dispatcher generation) {
        return OllamaScripts.dispatcher(model, ready, generation);
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public String path() {
        return chat ? "/api/chat" : "/api/generate";
    }

    @Override
    public List<Map.Entry<String, String>> headers(boolean stream) {
        return DialectScripts.headers("Content-Type", stream ? "application/x-ndjson" : OllamaScripts.JSON_UTF8,
                "Date", "Sat, 22 Aug 2026 09:30:00 GMT");
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
        return DialectScripts.utf8(json + "\n");
    }

    @Override
    public byte[] tokenEvent(Answer answer, int index, ScriptTimeline timeline, Shape shape) {
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
    public List<byte[]> closing(Answer answer, ScriptTimeline timeline, Shape shape) {
        return List.of(line(last(answer, timeline, shape, "")));
    }

    @Override
    public byte[] nonStreamingBody(Answer answer, ScriptTimeline timeline, Shape shape) {
        return DialectScripts.utf8(last(answer, timeline, shape, answer.text()));
    }

    @Override
    public byte[] malformedEvent() {
        return DialectScripts.utf8("{\"model\":\"tiny-random-llama:q4_k_m\",\"created_at\":\"2026-08-22T09:30:00.0031Z\",\"response\":\"ight\",\"done\":fal\n");
    }

    @Override
    public byte[] errorEvent() {
        return line(chat
                ? "{\"error\":\"llama-server chat error: map[code:500 message:The model produced output that does not match the expected peg-native format type:server_error]\"}"
                : "{\"error\":\"an error was encountered while running the model: unexpected EOF\"}");
    }

    @Override
    public byte[] rawTokenEvent(byte[] jsonStringContent) {
        return DialectScripts.concat(DialectScripts.utf8("{\"model\":\"tiny-random-llama:q4_k_m\",\"created_at\":\"2026-08-22T09:30:00.0031Z\","
                + (chat ? "\"message\":{\"role\":\"assistant\",\"content\":\"" : "\"response\":\"")),
                jsonStringContent, DialectScripts.utf8(chat ? "\"},\"done\":false}\n" : "\",\"done\":false}\n"));
    }

    @Override
    public byte[] keepAlive() {
        return DialectScripts.utf8("\n");
    }

    @Override
    public ServerDialect.HttpError httpError(int status) {
        return OllamaScripts.error(status);
    }

    @Override
    public boolean reportsLoadTime() {
        return true;
    }

    @Override
    public boolean reportsCachedPromptTokens() {
        return false;
    }
}
