package dev.orket.simulator.server;

import dev.orket.api.FailureKind;
import dev.orket.api.PromptStyle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One server API's wire format, as the scripted server writes it: how an {@link Answer} on a {@link ScriptTimeline}
 * becomes a correct streaming or non-streaming response, what the server sends when it fails, and which utility
 * routes it answers. The provider contract ({@code ProviderContract.dialect()}) serves every check through one, so a
 * provider author whose server speaks an API Orket does not ship plugs in a dialect of their own and runs the whole
 * contract against it ({@code docs/testkit.md}, "Your own dialect").
 *
 * <p>The built-in dialects are the constants. An implementation writes bytes (the abstract methods); the script
 * builders ({@link #streaming}, {@link #nonStreaming}, {@link #script}) are written once here on top of them and are
 * not meant to be overridden. Implementations are immutable and thread-safe.
 *
 * @since 0.1 (an interface since 0.2; before, a closed enum)
 */
public interface ServerDialect {

    /** llama-server native {@code POST /completion}: SSE, final event {@code stop:true} with {@code timings}, no {@code [DONE]}. */
    ServerDialect LLAMACPP_COMPLETION = new LlamaNativeDialect();

    /** llama-server {@code POST /v1/chat/completions} with {@code stream_options.include_usage}: SSE, usage chunk with {@code timings}, {@code [DONE]}. */
    ServerDialect LLAMACPP_CHAT = new OpenAiChatDialect();

    /** Ollama {@code POST /api/generate}: NDJSON, final {@code done:true} with durations in nanoseconds. */
    ServerDialect OLLAMA_GENERATE = new OllamaDialect(false);

    /** Ollama {@code POST /api/chat}: NDJSON {@code message} deltas, final {@code done:true}. */
    ServerDialect OLLAMA_CHAT = new OllamaDialect(true);

    /** The built-in dialects, never null: llama.cpp completion and chat, Ollama generate and chat. */
    static List<ServerDialect> builtIn() {
        return List.of(LLAMACPP_COMPLETION, LLAMACPP_CHAT, OLLAMA_GENERATE, OLLAMA_CHAT);
    }

    /**
     * The built-in dialect of a name, case-insensitive ({@code llamacpp_completion} or {@code LLAMACPP_COMPLETION}).
     *
     * @throws IllegalArgumentException naming the built-in dialects when none has the name
     */
    static ServerDialect builtIn(String name) {
        Objects.requireNonNull(name, "name");
        List<String> names = new ArrayList<>();
        for (ServerDialect dialect : builtIn()) {
            if (dialect.name().equalsIgnoreCase(name)) {
                return dialect;
            }
            names.add(dialect.name());
        }
        throw new IllegalArgumentException("Unknown built-in dialect '" + name + "'; the built-in ones are " + names
                + ". A dialect of your own is an instance of your ServerDialect implementation, not a name.");
    }

    // What the dialect is.

    /** A stable lowercase name for script names and messages, e.g. {@code llamacpp_completion}; never null. */
    String name();

    /** The server family, e.g. {@code llamacpp} or {@code ollama}; by default {@link #name()}. */
    default String server() {
        return name();
    }

    /** The prompt style a run asks for to be sent to this dialect's path. */
    PromptStyle promptStyle();

    /** The generation path, e.g. {@code /completion}; never null. */
    String path();

    /** Whether the server reports its model load time (Ollama {@code load_duration}); by default false. */
    default boolean reportsLoadTime() {
        return false;
    }

    /** Whether the server reports prompt tokens served from its cache (llama.cpp {@code cache_n}); by default false. */
    default boolean reportsCachedPromptTokens() {
        return false;
    }

    /**
     * Whether the dialect writes the shape; each shape beyond {@link Shape#NORMAL} adds its fault to the provider
     * contract's failure checks ({@link Fault#script}). By default only {@code NORMAL}.
     */
    default boolean supports(Shape shape) {
        return shape == Shape.NORMAL;
    }

    // The bytes: what an implementation writes.

    /** The headers of a successful response, in order, framing headers excluded (the server writes those). */
    List<Map.Entry<String, String>> headers(boolean stream);

    /**
     * Bytes sent when the first token is due but that carry no token (OpenAI's role delta), or null for none (the
     * default).
     */
    default byte @Nullable [] preamble(Answer answer) {
        return null;
    }

    /** The event carrying token {@code index} of the answer: one SSE event, one NDJSON line, ... */
    byte[] tokenEvent(Answer answer, int index, ScriptTimeline timeline, Shape shape);

    /**
     * The events that end a stream, all sent at the timeline's final offset: the final event with the server's counts
     * and timings (as the shape says), and a terminator such as {@code data: [DONE]} where the API has one.
     */
    List<byte[]> closing(Answer answer, ScriptTimeline timeline, Shape shape);

    /** The whole body of a non-streaming response in the shape. */
    byte[] nonStreamingBody(Answer answer, ScriptTimeline timeline, Shape shape);

    /** A syntactically broken event in this dialect's framing (a JSON object cut short). */
    byte[] malformedEvent();

    /** The error event the server sends after the stream started (the client reports {@code STREAM_ERROR}). */
    byte[] errorEvent();

    /**
     * A token event whose JSON string content is the given raw bytes, written unescaped: for the oversized-event and
     * invalid UTF-8 faults. By default the first token event of a placeholder answer with the placeholder's bytes
     * replaced, which fits any dialect that writes the token as a JSON string.
     */
    default byte[] rawTokenEvent(byte[] jsonStringContent) {
        String marker = "orketrawtokenmarker";
        Answer placeholder = Answer.fixture("tiny-random-llama").withTokens(List.of(marker, "."));
        byte[] event = tokenEvent(placeholder, 0, ScriptTimeline.DEFAULT, Shape.NORMAL);
        byte[] bytes = marker.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + bytes.length <= event.length; i++) {
            if (Arrays.equals(event, i, i + bytes.length, bytes, 0, bytes.length)) {
                return DialectScripts.concat(Arrays.copyOf(event, i), jsonStringContent,
                        Arrays.copyOfRange(event, i + bytes.length, event.length));
            }
        }
        throw new IllegalStateException("dialect " + name() + " does not write a token's text into its token event;"
                + " override rawTokenEvent");
    }

    /**
     * The error response the server sends for an HTTP status before any body (400, 404, 500, 503 and any other), with
     * the failure kind a correct client reports for it.
     */
    HttpError httpError(int status);

    /** What the server sends to keep an idle stream open: by default an SSE comment ({@code :}); Ollama a blank line. */
    default byte[] keepAlive() {
        return ":\n\n".getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Answers the server's utility routes (health, model lists, model details) for one model and sends every other
     * request to {@code generation}. When {@code ready} is false the server cannot serve the model yet (loading, or
     * not listed), and a correct provider's readiness probe says so.
     */
    Dispatcher dispatcher(String model, boolean ready, Dispatcher generation);

    // The scripts, built from the bytes.

    /** The streamed answer: headers, one event per token, the closing events, each at the timeline's offset. */
    default Script streaming(Answer answer, ScriptTimeline timeline) {
        return DialectScripts.shaped(this, true, answer, timeline, Shape.NORMAL);
    }

    /** The non-streamed answer: the whole response at the timeline's final offset. */
    default Script nonStreaming(Answer answer, ScriptTimeline timeline) {
        return DialectScripts.shaped(this, false, answer, timeline, Shape.NORMAL);
    }

    /** {@link #streaming} or {@link #nonStreaming}. */
    default Script script(boolean stream, Answer answer, ScriptTimeline timeline) {
        return DialectScripts.shaped(this, stream, answer, timeline, Shape.NORMAL);
    }

    /**
     * The answer in a shape the dialect {@link #supports}.
     *
     * @throws IllegalArgumentException when the dialect does not support the shape
     */
    default Script script(boolean stream, Answer answer, ScriptTimeline timeline, Shape shape) {
        if (!supports(shape)) {
            throw new IllegalArgumentException("dialect " + name() + " does not write shape " + shape
                    + "; check supports(shape) first");
        }
        return DialectScripts.shaped(this, stream, answer, timeline, shape);
    }

    /**
     * An error response a dialect sends for an HTTP status, and what a correct client makes of it.
     *
     * @param status the HTTP status
     * @param contentType the response's {@code Content-Type}
     * @param body the body, as the real server sends it
     * @param failureKind the failure kind a correct client reports
     * @since 0.2
     */
    record HttpError(int status, String contentType, String body, FailureKind failureKind) {

        public HttpError {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("an error status must be in [400, 599] but was " + status);
            }
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(failureKind, "failureKind");
        }
    }

    /** A header list for {@link #headers}, from name-value pairs: {@code headerList("Content-Type", "text/plain")}. */
    static List<Map.Entry<String, String>> headerList(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name-value pairs but " + namesAndValues.length
                    + " strings were given");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(Map.entry(namesAndValues[i], namesAndValues[i + 1]));
        }
        return List.copyOf(headers);
    }
}
