package dev.orket.provider.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.PromptStyle;
import dev.orket.core.stream.WireFailures;
import dev.orket.simulator.server.Answer;
import dev.orket.simulator.server.Dispatcher;
import dev.orket.simulator.server.Script;
import dev.orket.simulator.server.ScriptTimeline;
import dev.orket.simulator.server.ServerDialect;
import dev.orket.simulator.server.Shape;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * vLLM's OpenAI-compatible server as the scripted server writes it, for the provider contract: the wire format this
 * module registers itself (Orket ships no vLLM dialect). Its shapes follow vLLM's own classes
 * ({@code ChatCompletionStreamResponse}, {@code CompletionStreamResponse}, {@code UsageInfo}, {@code PerRequestMetrics},
 * {@code ErrorResponse}, {@code ModelCard} in {@code vllm/entrypoints}) for a server started with
 * {@code --enable-per-request-metrics} and {@code --enable-prompt-tokens-details}, asked for
 * {@code stream_options.include_usage}:
 *
 * <pre>
 * data: {"id":"chatcmpl-orket","object":"chat.completion.chunk",...,"choices":[{"index":0,"delta":{"content":"ight"},
 *        "logprobs":null,"finish_reason":null}]}
 * data: {..."choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"length","stop_reason":null}]}
 * data: {..."choices":[],"usage":{"prompt_tokens":10,"total_tokens":26,"completion_tokens":16,
 *        "prompt_tokens_details":{"cached_tokens":0}},"metrics":{"time_to_first_token_ms":34.0,...}}
 * data: [DONE]
 * </pre>
 *
 * Durations come only from {@code metrics} (no llama-server {@code timings}), so the contract's exact server figures
 * prove the provider's vLLM path; the built-in {@code LLAMACPP_CHAT} dialect proves its llama-server path.
 */
final class VllmDialect implements ServerDialect {

    /** vLLM's {@code POST /v1/completions}. */
    static final VllmDialect COMPLETIONS = new VllmDialect(PromptStyle.COMPLETION);
    /** vLLM's {@code POST /v1/chat/completions}. */
    static final VllmDialect CHAT = new VllmDialect(PromptStyle.CHAT);

    private static final Set<Shape> SHAPES = Set.of(Shape.NORMAL, Shape.NO_TIMINGS, Shape.NO_COUNTS_NO_TIMINGS,
            Shape.ABSURD_NUMBERS, Shape.DUPLICATED_DONE, Shape.NO_DONE);
    private static final long CREATED = 1795562232L;
    private static final String VERSION = "0.11.0";
    /** Time in vLLM's scheduler queue: reported, and never model time. */
    private static final double QUEUE_MS = 0.4;

    private final PromptStyle style;

    private VllmDialect(PromptStyle style) {
        this.style = style;
    }

    private boolean chat() {
        return style == PromptStyle.CHAT;
    }

    @Override
    public String name() {
        return chat() ? "vllm_chat" : "vllm_completions";
    }

    @Override
    public String server() {
        return "vllm";
    }

    @Override
    public PromptStyle promptStyle() {
        return style;
    }

    @Override
    public String path() {
        return chat() ? "/v1/chat/completions" : "/v1/completions";
    }

    @Override
    public boolean reportsCachedPromptTokens() {
        return true;
    }

    @Override
    public boolean supports(Shape shape) {
        return SHAPES.contains(shape);
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public List<Map.Entry<String, String>> headers(boolean stream) {
        return ServerDialect.headerList("server", "uvicorn", "content-type",
                stream ? "text/event-stream; charset=utf-8" : "application/json");
    }

    private String chunk(Answer answer, String choices, String extra) {
        return "{\"id\":\"" + (chat() ? "chatcmpl" : "cmpl") + "-orket\",\"object\":\""
                + (chat() ? "chat.completion.chunk" : "text_completion") + "\",\"created\":" + CREATED + ",\"model\":"
                + quote(answer.model()) + ",\"choices\":" + choices + extra + "}";
    }

    private String choice(String text, String finish) {
        return "[{\"index\":0," + (chat() ? "\"delta\":{\"content\":" + text + "}" : "\"text\":" + text)
                + ",\"logprobs\":null,\"finish_reason\":" + finish
                + (finish.equals("null") ? "" : ",\"stop_reason\":null") + "}]";
    }

    @Override
    public byte[] preamble(Answer answer) {
        // vLLM's first chat chunk carries the role and an empty content: no token.
        return chat() ? sse(chunk(answer, "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"logprobs\":null,\"finish_reason\":null}]", "")) : null;
    }

    @Override
    public byte[] tokenEvent(Answer answer, int index, ScriptTimeline timeline, Shape shape) {
        return sse(chunk(answer, choice(quote(answer.tokens().get(index)), "null"), ""));
    }

    @Override
    public List<byte[]> closing(Answer answer, ScriptTimeline timeline, Shape shape) {
        List<byte[]> events = new ArrayList<>();
        events.add(sse(chunk(answer, choice("\"\"", quote(finish(answer))), "")));
        if (shape != Shape.NO_COUNTS_NO_TIMINGS) {
            events.add(sse(chunk(answer, "[]", "," + usage(answer, shape) + metrics(answer, timeline, shape))));
        }
        if (shape != Shape.NO_DONE) {
            events.add(utf8("data: [DONE]\n\n"));
        }
        if (shape == Shape.DUPLICATED_DONE) {
            events.add(utf8("data: [DONE]\n\n"));
        }
        return events;
    }

    @Override
    public byte[] nonStreamingBody(Answer answer, ScriptTimeline timeline, Shape shape) {
        String text = quote(answer.text());
        String choice = "[{\"index\":0," + (chat() ? "\"message\":{\"role\":\"assistant\",\"content\":" + text
                + ",\"reasoning\":null}" : "\"text\":" + text) + ",\"logprobs\":null,\"finish_reason\":"
                + quote(finish(answer)) + ",\"stop_reason\":null}]";
        String body = "{\"id\":\"" + (chat() ? "chatcmpl" : "cmpl") + "-orket\",\"object\":\""
                + (chat() ? "chat.completion" : "text_completion") + "\",\"created\":" + CREATED + ",\"model\":"
                + quote(answer.model()) + ",\"choices\":" + choice
                + (shape == Shape.NO_COUNTS_NO_TIMINGS ? "" : "," + usage(answer, shape) + metrics(answer, timeline, shape))
                + "}";
        return utf8(body);
    }

    private static String usage(Answer answer, Shape shape) {
        String completion = shape == Shape.ABSURD_NUMBERS ? "9000000000000000000"
                : Integer.toString(answer.outputTokens());
        return "\"usage\":{\"prompt_tokens\":" + answer.promptTokens() + ",\"total_tokens\":"
                + (answer.promptTokens() + answer.outputTokens()) + ",\"completion_tokens\":" + completion
                + ",\"prompt_tokens_details\":{\"cached_tokens\":" + answer.cachedPromptTokens() + "}}";
    }

    private static String metrics(Answer answer, ScriptTimeline timeline, Shape shape) {
        if (shape == Shape.NO_TIMINGS || shape == Shape.NO_COUNTS_NO_TIMINGS) {
            return "";
        }
        double prompt = shape == Shape.ABSURD_NUMBERS ? 1.7e308 : timeline.serverPromptMs();
        double generation = shape == Shape.ABSURD_NUMBERS ? -5.0 : timeline.serverGenerationMs(answer.outputTokens());
        int tokens = answer.outputTokens();
        String itl = tokens > 1 ? Double.toString(generation / (tokens - 1)) : "null";
        return String.format(Locale.ROOT, ",\"metrics\":{\"time_to_first_token_ms\":%s,\"generation_time_ms\":%s,"
                + "\"queue_time_ms\":%s,\"mean_itl_ms\":%s,\"tokens_per_second\":%s}", prompt, generation, QUEUE_MS,
                itl, tokens * 1000.0 / (prompt + generation));
    }

    private static String finish(Answer answer) {
        return answer.finishReason() == FinishReason.LENGTH ? "length" : "stop";
    }

    @Override
    public byte[] malformedEvent() {
        return utf8("data: {\"id\":\"cmpl-orket\",\"choices\":[{\"index\":0,\"text\":\"ov\"\n\n");
    }

    @Override
    public byte[] errorEvent() {
        return sse("{\"error\":{\"message\":\"CUDA error: out of memory\",\"type\":\"InternalServerError\","
                + "\"param\":null,\"code\":500}}");
    }

    @Override
    public HttpError httpError(int status) {
        switch (status) {
            case 400:
                return error(400, "BadRequestError", "max_tokens must be at least 1, got 0.", FailureKind.INVALID_REQUEST);
            case 404:
                return error(404, "NotFoundError", "The model `tiny-random-llama:q4_k_m` does not exist.",
                        FailureKind.MODEL_NOT_FOUND);
            case 500:
                return error(500, "InternalServerError", "EngineCore encountered an issue.", FailureKind.SERVER_ERROR);
            case 503:
                return error(503, "ServiceUnavailableError", "The engine is busy; retry later.",
                        FailureKind.SERVER_BUSY);
            default:
                // A status vLLM itself never sends (a proxy's): its words say nothing, the status decides.
                return error(status, "HTTPException", "scripted " + status, WireFailures.ofStatus(status));
        }
    }

    private static HttpError error(int status, String type, String message, FailureKind kind) {
        return new HttpError(status, "application/json", "{\"error\":{\"message\":" + quote(message) + ",\"type\":"
                + quote(type) + ",\"param\":null,\"code\":" + status + "}}", kind);
    }

    /**
     * vLLM's utility routes: {@code GET /health} (200, empty), {@code GET /v1/models} (the served model's card, or no
     * card while it cannot serve it), {@code GET /version}; everything else is generation.
     */
    @Override
    public Dispatcher dispatcher(String model, boolean ready, Dispatcher generation) {
        return request -> {
            switch (request.path()) {
                case "/health":
                    return Script.json(200, "");
                case "/v1/models":
                    return Script.json(200, "{\"object\":\"list\",\"data\":[" + (ready ? "{\"id\":" + quote(model)
                            + ",\"object\":\"model\",\"created\":" + CREATED + ",\"owned_by\":\"vllm\",\"root\":"
                            + quote("/models/" + model) + ",\"parent\":null,\"max_model_len\":4096,\"permission\":[]}"
                            : "") + "]}");
                case "/version":
                    return Script.json(200, "{\"version\":\"" + VERSION + "\"}");
                default:
                    return generation.dispatch(request);
            }
        };
    }

    private static byte[] sse(String json) {
        return utf8("data: " + json + "\n\n");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
