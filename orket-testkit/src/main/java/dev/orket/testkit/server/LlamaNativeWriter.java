package dev.orket.testkit.server;

import static dev.orket.testkit.server.JsonFields.quote;
import static dev.orket.testkit.server.LlamaCppJson.JSON_UTF8;

import java.util.List;

/** llama-server's native {@code /completion}: SSE {@code data:} events, final {@code stop:true}, no {@code [DONE]}. */
final class LlamaNativeWriter extends DialectWriter {

    @Override
    String path() {
        return "/completion";
    }

    @Override
    List<String[]> headers(boolean stream) {
        return stream
                ? List.of(new String[] {"Server", "llama.cpp"}, new String[] {"Access-Control-Allow-Origin", ""},
                        new String[] {"X-Accel-Buffering", "no"}, new String[] {"Content-Type", "text/event-stream"})
                : List.of(new String[] {"Server", "llama.cpp"}, new String[] {"Access-Control-Allow-Origin", ""},
                        new String[] {"Content-Type", JSON_UTF8});
    }

    @Override
    byte[] tokenEvent(Answer answer, int index, ScriptTimeline timeline, Shape shape) {
        return sse("{\"index\":0,\"content\":" + quote(answer.tokens().get(index)) + ",\"tokens\":["
                + LlamaCppJson.tokenId(index) + "],\"stop\":false,\"id_slot\":-1"
                + (shape == Shape.NO_COUNTS_NO_TIMINGS ? "" : ",\"tokens_predicted\":" + (index + 1)
                        + ",\"tokens_evaluated\":" + answer.promptTokens()) + "}");
    }

    @Override
    List<byte[]> closing(Answer answer, ScriptTimeline timeline, Shape shape) {
        return List.of(sse(result(answer, timeline, shape, "", true)));
    }

    @Override
    byte[] nonStreamingBody(Answer answer, ScriptTimeline timeline, Shape shape) {
        return utf8(result(answer, timeline, shape, answer.text(), false));
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
    byte[] malformedEvent() {
        return utf8("data: {\"index\":0,\"content\":\"ight\",\"tokens\":[523],\"stop\":fal\n\n");
    }

    @Override
    byte[] errorEvent() {
        return sse(LlamaCppJson.error(500,
                "The model produced output that does not match the expected Content-only format", "server_error"));
    }

    @Override
    byte[] rawTokenEvent(byte[] jsonStringContent) {
        return concat(utf8("data: {\"index\":0,\"content\":\""), jsonStringContent,
                utf8("\",\"tokens\":[523],\"stop\":false,\"id_slot\":-1,\"tokens_predicted\":1,\"tokens_evaluated\":10}\n\n"));
    }

    @Override
    HttpError httpError(int status) {
        return LlamaCppScripts.error(status);
    }

    @Override
    boolean reportsLoad() {
        return false;
    }

    @Override
    boolean reportsCachedPromptTokens() {
        return true;
    }

}
