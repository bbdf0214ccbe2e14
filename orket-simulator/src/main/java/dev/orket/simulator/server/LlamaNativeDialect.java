package dev.orket.simulator.server;

import static dev.orket.simulator.server.JsonFields.quote;

import dev.orket.api.PromptStyle;
import java.util.List;

/** llama-server's native {@code /completion}: SSE {@code data:} events, final {@code stop:true}, no {@code [DONE]}. */
final class LlamaNativeDialect extends LlamaServerDialect {

    @Override
    public String name() {
        return "llamacpp_completion";
    }

    @Override
    public PromptStyle promptStyle() {
        return PromptStyle.COMPLETION;
    }

    @Override
    public boolean supports(Shape shape) {
        return LlamaCppJson.SHAPES.contains(shape);
    }

    @Override
    public String path() {
        return "/completion";
    }

    @Override
    public byte[] tokenEvent(Answer answer, int index, ScriptTimeline timeline, Shape shape) {
        return DialectScripts.sse("{\"index\":0,\"content\":" + quote(answer.tokens().get(index)) + ",\"tokens\":["
                + LlamaCppJson.tokenId(index) + "],\"stop\":false,\"id_slot\":-1"
                + (shape == Shape.NO_COUNTS_NO_TIMINGS ? "" : ",\"tokens_predicted\":" + (index + 1)
                        + ",\"tokens_evaluated\":" + answer.promptTokens()) + "}");
    }

    @Override
    public List<byte[]> closing(Answer answer, ScriptTimeline timeline, Shape shape) {
        return List.of(DialectScripts.sse(result(answer, timeline, shape, "", true)));
    }

    @Override
    public byte[] nonStreamingBody(Answer answer, ScriptTimeline timeline, Shape shape) {
        return DialectScripts.utf8(result(answer, timeline, shape, answer.text(), false));
    }

    private static String result(Answer answer, ScriptTimeline timeline, Shape shape, String content, boolean stream) {
        StringBuilder json = new StringBuilder(512);
        json.append("{\"index\":0,\"content\":").append(quote(content)).append(",\"tokens\":[],\"id_slot\":0,\"stop\":true,")
                .append("\"model\":").append(quote(answer.model()));
        if (shape != Shape.NO_COUNTS_NO_TIMINGS) {
            json.append(",\"tokens_predicted\":")
                    .append(shape == Shape.ABSURD_NUMBERS ? LlamaCppJson.ABSURD_COUNT : answer.outputTokens())
                    .append(",\"tokens_evaluated\":").append(answer.promptTokens());
        }
        json.append(",\"generation_settings\":{\"n_predict\":").append(answer.outputTokens())
                .append(",\"stream\":").append(stream).append("},\"prompt\":\"<s> The quick brown fox\",")
                .append("\"has_new_line\":false,\"truncated\":false,\"stop_type\":")
                .append(quote(LlamaCppJson.stopType(answer.finishReason()))).append(",\"stopping_word\":\"\"");
        if (shape != Shape.NO_COUNTS_NO_TIMINGS) {
            json.append(",\"tokens_cached\":").append(answer.promptTokens() + Math.max(0, answer.outputTokens() - 1));
        }
        if (shape != Shape.NO_TIMINGS && shape != Shape.NO_COUNTS_NO_TIMINGS) {
            json.append(",\"timings\":").append(LlamaCppJson.timings(answer, timeline, shape));
        }
        return json.append('}').toString();
    }

    @Override
    public byte[] malformedEvent() {
        return DialectScripts.utf8("data: {\"index\":0,\"content\":\"ight\",\"tokens\":[523],\"stop\":fal\n\n");
    }

    @Override
    public byte[] errorEvent() {
        return DialectScripts.sse(LlamaCppJson.error(500,
                "The model produced output that does not match the expected Content-only format", "server_error"));
    }

    @Override
    public byte[] rawTokenEvent(byte[] jsonStringContent) {
        return DialectScripts.concat(DialectScripts.utf8("data: {\"index\":0,\"content\":\""), jsonStringContent,
                DialectScripts.utf8("\",\"tokens\":[523],\"stop\":false,\"id_slot\":-1,\"tokens_predicted\":1,\"tokens_evaluated\":10}\n\n"));
    }

    @Override
    public ServerDialect.HttpError httpError(int status) {
        return LlamaCppScripts.error(status);
    }

    @Override
    public boolean reportsLoadTime() {
        return false;
    }

    @Override
    public boolean reportsCachedPromptTokens() {
        return true;
    }

}
