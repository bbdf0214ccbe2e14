package dev.orket.testkit.server;

import dev.orket.api.PromptStyle;
import java.util.List;
import java.util.Objects;

/**
 * The wire dialects the scripted server speaks, each able to turn an {@link Answer} on a
 * {@link ScriptTimeline} into a correct streaming or non-streaming {@link Script}.
 *
 * @since 0.1
 */
public enum ServerDialect {
    /** llama-server native {@code POST /completion}: SSE, final event {@code stop:true} with {@code timings}, no {@code [DONE]}. */
    LLAMACPP_COMPLETION("llamacpp", PromptStyle.COMPLETION, new LlamaNativeWriter()),
    /** llama-server {@code POST /v1/chat/completions} with {@code stream_options.include_usage}: SSE, usage chunk with {@code timings}, {@code [DONE]}. */
    LLAMACPP_CHAT("llamacpp", PromptStyle.CHAT, new OpenAiChatWriter()),
    /** Ollama {@code POST /api/generate}: NDJSON, final {@code done:true} with durations in nanoseconds. */
    OLLAMA_GENERATE("ollama", PromptStyle.COMPLETION, new OllamaWriter(false)),
    /** Ollama {@code POST /api/chat}: NDJSON {@code message} deltas, final {@code done:true}. */
    OLLAMA_CHAT("ollama", PromptStyle.CHAT, new OllamaWriter(true));

    private final String server;
    private final PromptStyle promptStyle;
    private final DialectWriter writer;

    ServerDialect(String server, PromptStyle promptStyle, DialectWriter writer) {
        this.server = server;
        this.promptStyle = promptStyle;
        this.writer = writer;
    }

    /** The server this dialect belongs to: {@code llamacpp} or {@code ollama}. */
    public String server() {
        return server;
    }

    /** The prompt style a run must ask for to be sent to this dialect's path. */
    public PromptStyle promptStyle() {
        return promptStyle;
    }

    /** The generation path, e.g. {@code /completion}. */
    public String path() {
        return writer.path();
    }

    /** Whether the server reports its model load time (Ollama {@code load_duration}). */
    public boolean reportsLoadTime() {
        return writer.reportsLoad();
    }

    /** Whether the server reports prompt tokens served from its cache (llama.cpp {@code cache_n}). */
    public boolean reportsCachedPromptTokens() {
        return writer.reportsCachedPromptTokens();
    }

    /** The streamed answer: headers, one event per token, the closing events, each at the timeline's offset. */
    public Script streaming(Answer answer, ScriptTimeline timeline) {
        return shaped(true, answer, timeline, Shape.NORMAL);
    }

    /** The non-streamed answer: the whole response at the timeline's final offset. */
    public Script nonStreaming(Answer answer, ScriptTimeline timeline) {
        return shaped(false, answer, timeline, Shape.NORMAL);
    }

    /** {@link #streaming} or {@link #nonStreaming}. */
    public Script script(boolean stream, Answer answer, ScriptTimeline timeline) {
        return shaped(stream, answer, timeline, Shape.NORMAL);
    }

    /**
     * Routes a server's utility paths and sends everything else to {@code generation}: llama.cpp
     * {@code /health}, {@code /v1/health}, {@code /props}, {@code /v1/models}, {@code /models} (all 503
     * {@code Loading model} when not ready); Ollama {@code /}, {@code /api/version}, {@code /api/tags},
     * {@code /api/ps}, {@code /api/show} (when not ready the model is missing from the lists).
     */
    public Dispatcher dispatcher(String model, boolean ready, Dispatcher generation) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(generation, "generation");
        if (server.equals("llamacpp")) {
            return request -> {
                if (!ready) {
                    return LlamaCppScripts.loading();
                }
                switch (request.path()) {
                    case "/health":
                    case "/v1/health":
                        return LlamaCppScripts.health();
                    case "/props":
                        return LlamaCppScripts.props(model, "Q4_K - Medium", 512);
                    case "/models":
                    case "/v1/models":
                        return LlamaCppScripts.models(model);
                    default:
                        return generation.dispatch(request);
                }
            };
        }
        return request -> {
            switch (request.path()) {
                case "/":
                    return OllamaScripts.root();
                case "/api/version":
                    return OllamaScripts.version();
                case "/api/tags":
                    return ready ? OllamaScripts.tags(List.of(model), List.of("Q4_K_M"))
                            : OllamaScripts.tags(List.of(), List.of());
                case "/api/ps":
                    return ready ? OllamaScripts.ps(model, 9175040L, 9175040L, 512) : OllamaScripts.psEmpty();
                case "/api/show":
                    return ready ? OllamaScripts.show(model, "Q4_K_M", 512) : OllamaScripts.errorScript(404);
                default:
                    return generation.dispatch(request);
            }
        };
    }

    DialectWriter writer() {
        return writer;
    }

    Script.Builder successHead(boolean stream) {
        Script.Builder builder = Script.builder(200).name(name().toLowerCase(java.util.Locale.ROOT)
                + (stream ? "-stream" : "-nonstream"));
        for (String[] header : writer.headers(stream)) {
            builder.header(header[0], header[1]);
        }
        if (stream) {
            builder.chunked();
        }
        return builder;
    }

    /** The opening of a stream: head, preamble and the first {@code tokens} token events. */
    Script.Builder streamOpening(Answer answer, ScriptTimeline timeline, int tokens) {
        return streamOpening(answer, timeline, tokens, Shape.NORMAL);
    }

    Script.Builder streamOpening(Answer answer, ScriptTimeline timeline, int tokens, Shape shape) {
        Script.Builder builder = successHead(true).head(timeline.headersAt(), Await.RESPONSE_STARTED);
        byte[] preamble = writer.preamble(answer);
        if (preamble != null && answer.outputTokens() > 0) {
            builder.data(timeline.firstTokenAt(), preamble, Await.NOTHING);
        }
        for (int i = 0; i < tokens; i++) {
            builder.data(timeline.tokenAt(i), writer.tokenEvent(answer, i, timeline, shape),
                    answer.tokens().get(i).isEmpty() ? Await.NOTHING : Await.CONTENT);
        }
        return builder;
    }

    Script shaped(boolean stream, Answer answer, ScriptTimeline timeline, Shape shape) {
        java.time.Duration end = timeline.endAt(answer.outputTokens());
        if (!stream) {
            return successHead(false).head(end, Await.NOTHING)
                    .data(end, writer.nonStreamingBody(answer, timeline, shape), Await.NOTHING).end(end, Await.TERMINAL)
                    .build();
        }
        Script.Builder builder = streamOpening(answer, timeline, answer.outputTokens(), shape);
        for (byte[] event : writer.closing(answer, timeline, shape)) {
            builder.data(end, event, Await.NOTHING);
        }
        return builder.end(end, Await.TERMINAL).build();
    }
}
