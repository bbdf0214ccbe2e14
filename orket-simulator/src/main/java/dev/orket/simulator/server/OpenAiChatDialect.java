package dev.orket.simulator.server;

import static dev.orket.simulator.server.JsonFields.quote;

import dev.orket.api.PromptStyle;
import java.util.ArrayList;
import java.util.List;

/**
 * llama-server's OpenAI-compatible {@code /v1/chat/completions} as a client asking for
 * {@code stream_options.include_usage} sees it: a role delta, content deltas, a finish chunk, a
 * usage chunk with {@code timings}, then {@code data: [DONE]}.
 */
final class OpenAiChatDialect extends LlamaServerDialect {

    private static final String ID = "chatcmpl-orkettestkit0000000000000000000";
    private static final long CREATED = 1795562232L;

    @Override
    public String name() {
        return "llamacpp_chat";
    }

    @Override
    public PromptStyle promptStyle() {
        return PromptStyle.CHAT;
    }

    @Override
    public boolean supports(Shape shape) {
        // Only the OpenAI API ends its stream with [DONE], so only here can it be doubled or missing.
        return LlamaCppJson.SHAPES.contains(shape) || shape == Shape.DUPLICATED_DONE || shape == Shape.NO_DONE;
    }

    @Override
    public String path() {
        return "/v1/chat/completions";
    }

    private static String envelope(Answer answer, String choices, String extra) {
        return "{\"choices\":" + choices + ",\"created\":" + CREATED + ",\"id\":\"" + ID + "\",\"model\":"
                + quote(answer.model()) + ",\"system_fingerprint\":\"" + LlamaCppJson.BUILD
                + "\",\"object\":\"chat.completion.chunk\"" + extra + "}";
    }

    @Override
    public byte[] preamble(Answer answer) {
        return DialectScripts.sse(envelope(answer, "[{\"finish_reason\":null,\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]",
                ""));
    }

    @Override
    public byte[] tokenEvent(Answer answer, int index, ScriptTimeline timeline, Shape shape) {
        return DialectScripts.sse(envelope(answer, "[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":"
                + quote(answer.tokens().get(index)) + "}}]", ""));
    }

    private static String usage(Answer answer, Shape shape) {
        // The absurd shape's completion count matches its timings' predicted_n, whichever a reader prefers.
        String completion = shape == Shape.ABSURD_NUMBERS ? LlamaCppJson.ABSURD_COUNT
                : Integer.toString(answer.outputTokens());
        return "\"usage\":{\"completion_tokens\":" + completion + ",\"prompt_tokens\":" + answer.promptTokens()
                + ",\"total_tokens\":" + (answer.promptTokens() + answer.outputTokens())
                + ",\"prompt_tokens_details\":{\"cached_tokens\":" + answer.cachedPromptTokens() + "}}";
    }

    @Override
    public List<byte[]> closing(Answer answer, ScriptTimeline timeline, Shape shape) {
        String finish = "[{\"finish_reason\":" + quote(LlamaCppJson.finishReason(answer.finishReason()))
                + ",\"index\":0,\"delta\":{}}]";
        List<byte[]> events = new ArrayList<>();
        if (shape == Shape.NO_COUNTS_NO_TIMINGS) {
            events.add(DialectScripts.sse(envelope(answer, finish, "")));
        } else {
            String timings = shape == Shape.NO_TIMINGS ? ""
                    : ",\"timings\":" + LlamaCppJson.timings(answer, timeline, shape);
            // The finish chunk and the usage chunk arrive in one HTTP chunk (v1-chat-completions-stream-usage.http).
            events.add(DialectScripts.concat(DialectScripts.sse(envelope(answer, finish, "")),
                    DialectScripts.sse(envelope(answer, "[]", "," + usage(answer, shape) + timings))));
        }
        if (shape != Shape.NO_DONE) {
            events.add(DialectScripts.utf8("data: [DONE]\n\n"));
        }
        if (shape == Shape.DUPLICATED_DONE) {
            events.add(DialectScripts.utf8("data: [DONE]\n\n"));
        }
        return events;
    }

    @Override
    public byte[] nonStreamingBody(Answer answer, ScriptTimeline timeline, Shape shape) {
        StringBuilder json = new StringBuilder(512);
        json.append("{\"choices\":[{\"finish_reason\":").append(quote(LlamaCppJson.finishReason(answer.finishReason())))
                .append(",\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":").append(quote(answer.text()))
                .append("}}],\"created\":").append(CREATED).append(",\"model\":").append(quote(answer.model()))
                .append(",\"system_fingerprint\":\"").append(LlamaCppJson.BUILD).append("\",\"object\":\"chat.completion\"");
        if (shape != Shape.NO_COUNTS_NO_TIMINGS) {
            json.append(',').append(usage(answer, shape));
        }
        json.append(",\"id\":\"").append(ID).append('"');
        if (shape != Shape.NO_TIMINGS && shape != Shape.NO_COUNTS_NO_TIMINGS) {
            json.append(",\"timings\":").append(LlamaCppJson.timings(answer, timeline, shape));
        }
        return DialectScripts.utf8(json.append('}').toString());
    }

    @Override
    public byte[] malformedEvent() {
        return DialectScripts.utf8("data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\"ov\"\n\n");
    }

    @Override
    public byte[] errorEvent() {
        return ServerDialect.LLAMACPP_COMPLETION.errorEvent();
    }

    @Override
    public byte[] rawTokenEvent(byte[] jsonStringContent) {
        return DialectScripts.concat(DialectScripts.utf8("data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\""),
                jsonStringContent, DialectScripts.utf8("\"}}],\"created\":" + CREATED + ",\"id\":\"" + ID
                        + "\",\"object\":\"chat.completion.chunk\"}\n\n"));
    }

    @Override
    public ServerDialect.HttpError httpError(int status) {
        HttpError error = LlamaCppScripts.error(status);
        return error;
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
