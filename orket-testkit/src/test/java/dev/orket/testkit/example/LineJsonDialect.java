package dev.orket.testkit.example;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.PromptStyle;
import dev.orket.simulator.server.Answer;
import dev.orket.simulator.server.Dispatcher;
import dev.orket.simulator.server.Script;
import dev.orket.simulator.server.ScriptTimeline;
import dev.orket.simulator.server.ServerDialect;
import dev.orket.simulator.server.Shape;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wire format of a server Orket does not ship, written as a provider author would write theirs: {@code POST
 * /generate}, one JSON object per line, counts and timings in the last one, and {@code GET /health} listing the
 * loaded models.
 *
 * <pre>
 * {"text":"ight"}
 * {"text":"io"}
 * {"done":true,"finish":"length","usage":{"prompt":10,"output":16},"ms":{"prompt":34.0,"generation":150.0}}
 * </pre>
 */
final class LineJsonDialect implements ServerDialect {

    private static final Set<Shape> SHAPES = Set.of(Shape.NORMAL, Shape.NO_TIMINGS, Shape.NO_COUNTS_NO_TIMINGS,
            Shape.ABSURD_NUMBERS);

    @Override
    public String name() {
        return "linejson";
    }

    @Override
    public PromptStyle promptStyle() {
        return PromptStyle.COMPLETION;
    }

    @Override
    public String path() {
        return "/generate";
    }

    @Override
    public boolean supports(Shape shape) {
        return SHAPES.contains(shape);
    }

    @Override
    public List<Map.Entry<String, String>> headers(boolean stream) {
        return ServerDialect.headerList("Content-Type", stream ? "application/x-ndjson" : "application/json");
    }

    @Override
    public byte[] tokenEvent(Answer answer, int index, ScriptTimeline timeline, Shape shape) {
        return line("{\"text\":" + quote(answer.tokens().get(index)) + "}");
    }

    @Override
    public List<byte[]> closing(Answer answer, ScriptTimeline timeline, Shape shape) {
        return List.of(line(last(answer, timeline, shape, "")));
    }

    @Override
    public byte[] nonStreamingBody(Answer answer, ScriptTimeline timeline, Shape shape) {
        return last(answer, timeline, shape, "\"text\":" + quote(answer.text()) + ",").getBytes(StandardCharsets.UTF_8);
    }

    private static String last(Answer answer, ScriptTimeline timeline, Shape shape, String text) {
        StringBuilder json = new StringBuilder("{").append(text).append("\"done\":true,\"finish\":")
                .append(answer.finishReason() == FinishReason.LENGTH ? "\"length\"" : "\"stop\"");
        if (shape == Shape.ABSURD_NUMBERS) {
            // Numbers no server sends: a provider passes them on and the recorder rejects them.
            return json.append(",\"usage\":{\"prompt\":10,\"output\":9000000000000000000},")
                    .append("\"ms\":{\"prompt\":1.7e308,\"generation\":-5.0}}").toString();
        }
        if (shape != Shape.NO_COUNTS_NO_TIMINGS) {
            json.append(",\"usage\":{\"prompt\":").append(answer.promptTokens()).append(",\"output\":")
                    .append(answer.outputTokens()).append('}');
        }
        if (shape == Shape.NORMAL) {
            json.append(",\"ms\":{\"prompt\":").append(timeline.serverPromptMs()).append(",\"generation\":")
                    .append(timeline.serverGenerationMs(answer.outputTokens())).append('}');
        }
        return json.append('}').toString();
    }

    @Override
    public byte[] malformedEvent() {
        return line("{\"text\":\"ig");
    }

    @Override
    public byte[] errorEvent() {
        return line("{\"error\":\"CUDA error: out of memory\"}");
    }

    @Override
    public HttpError httpError(int status) {
        FailureKind kind = status == 400 ? FailureKind.INVALID_REQUEST : status == 404 ? FailureKind.NOT_FOUND
                : status == 500 ? FailureKind.SERVER_ERROR : status == 503 ? FailureKind.SERVER_BUSY
                : FailureKind.HTTP_ERROR;
        return new HttpError(status, "application/json", "{\"error\":\"scripted " + status + "\"}", kind);
    }

    @Override
    public byte[] keepAlive() {
        return line("");
    }

    @Override
    public Dispatcher dispatcher(String model, boolean ready, Dispatcher generation) {
        return request -> {
            if (!request.path().equals("/health")) {
                return generation.dispatch(request);
            }
            return ready ? Script.json(200, "{\"status\":\"ok\",\"models\":[" + quote(model) + "]}")
                    : Script.json(503, "{\"status\":\"loading\",\"models\":[]}");
        };
    }

    private static byte[] line(String json) {
        return (json + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
