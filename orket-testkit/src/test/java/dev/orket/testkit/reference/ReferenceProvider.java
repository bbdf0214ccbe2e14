package dev.orket.testkit.reference;

import dev.orket.api.Capability;
import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.Readiness;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunRequest;
import dev.orket.api.UnsupportedCapabilityException;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.stream.AdminCallException;
import dev.orket.core.stream.AdminResponse;
import dev.orket.core.stream.Framing;
import dev.orket.core.stream.HttpTransport;
import dev.orket.core.stream.ResponseDecoder;
import dev.orket.core.stream.ResponseHead;
import dev.orket.core.stream.RunEvents;
import dev.orket.simulator.internal.JsonTree;
import dev.orket.simulator.server.ServerDialect;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A minimal provider for every dialect the scripted server speaks, on the core's {@link HttpTransport} as every
 * provider is: the testkit's own proof that its contract suite can be passed. It adds only request bodies and a
 * generic JSON decoder. Not a product provider.
 */
final class ReferenceProvider implements InferenceProvider {

    private final Set<Capability> capabilities;
    private final HttpTransport transport;
    private final ServerDialect dialect;

    ReferenceProvider(ProviderConfig config, Set<Capability> capabilities) {
        this(config, capabilities, ServerDialect.LLAMACPP_COMPLETION);
    }

    ReferenceProvider(ProviderConfig config, Set<Capability> capabilities, ServerDialect dialect) {
        this.dialect = dialect;
        this.capabilities = capabilities.isEmpty() ? Set.of() : EnumSet.copyOf(capabilities);
        this.transport = HttpTransport.builder(config, dialect.server()).threadLabel("testkit-reference").build();
    }

    @Override
    public String id() {
        return ReferenceProviderFactory.ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public Readiness probe(String model) {
        boolean ollama = dialect.server().equals("ollama");
        String path = ollama ? "/api/tags" : "/health";
        AdminResponse response;
        try {
            response = transport.get(path);
        } catch (AdminCallException e) {
            return Readiness.blocked("unreachable", e.getMessage());
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (ollama) {
            try {
                return names(body, "models", "name").contains(model) ? Readiness.readyNow()
                        : Readiness.blocked("model_not_listed", "Ollama does not list " + model + " in GET " + path);
            } catch (IOException e) {
                return Readiness.blocked("unreadable", "GET " + path + " is not JSON: " + e.getMessage());
            }
        }
        if (response.status() == 200) {
            return Readiness.readyNow();
        }
        if (response.status() == 503) {
            return Readiness.blocked("model_loading", "llama-server answered GET " + path + " with 503: " + body);
        }
        return Readiness.blocked("server_error", "llama-server answered GET " + path + " with " + response.status());
    }

    @Override
    public List<String> listModels() {
        if (!capabilities.contains(Capability.MODEL_LISTING)) {
            throw new UnsupportedCapabilityException(id(), Capability.MODEL_LISTING);
        }
        boolean ollama = dialect.server().equals("ollama");
        String path = ollama ? "/api/tags" : "/v1/models";
        try {
            String body = new String(transport.get(path).body(), StandardCharsets.UTF_8);
            return ollama ? names(body, "models", "name") : names(body, "data", "id");
        } catch (AdminCallException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " is not JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        transport.close();
    }

    private static List<String> names(String json, String list, String field) throws IOException {
        List<String> names = new ArrayList<>();
        Object items = JsonTree.at(JsonTree.parse(json), list);
        if (items instanceof List) {
            for (Object item : (List<?>) items) {
                Object name = JsonTree.at(item, field);
                if (name instanceof String) {
                    names.add((String) name);
                }
            }
        }
        return names;
    }

    private String requestBody(RunRequest request) {
        String messages = "[{\"role\":\"user\",\"content\":" + quote(request.prompt()) + "}]";
        String limit = request.maxOutputTokens() == null ? "" : String.valueOf(request.maxOutputTokens());
        String seed = request.seed() == null ? "" : String.valueOf(request.seed());
        switch (dialect.name()) {
            case "llamacpp_completion":
                return "{\"model\":" + quote(request.model()) + ",\"prompt\":" + quote(request.prompt())
                        + (limit.isEmpty() ? "" : ",\"n_predict\":" + limit) + (seed.isEmpty() ? "" : ",\"seed\":" + seed)
                        + ",\"stream\":" + request.stream() + "}";
            case "llamacpp_chat":
                return "{\"model\":" + quote(request.model()) + ",\"messages\":" + messages
                        + (limit.isEmpty() ? "" : ",\"max_tokens\":" + limit) + (seed.isEmpty() ? "" : ",\"seed\":" + seed)
                        + ",\"stream\":" + request.stream()
                        + (request.stream() ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}";
            default:
                String options = ",\"options\":{" + (limit.isEmpty() ? "" : "\"num_predict\":" + limit)
                        + (seed.isEmpty() ? "" : (limit.isEmpty() ? "" : ",") + "\"seed\":" + seed) + "}";
                return "{\"model\":" + quote(request.model()) + (dialect == ServerDialect.OLLAMA_CHAT
                        ? ",\"messages\":" + messages : ",\"prompt\":" + quote(request.prompt()) + ",\"raw\":true")
                        + ",\"stream\":" + request.stream() + options + "}";
        }
    }

    @Override
    public void execute(RunRequest request, RunRecorder recorder) {
        Capability mode = request.stream() ? Capability.STREAMING : Capability.NON_STREAMING;
        if (!capabilities.contains(mode)) {
            recorder.record(new WireEvent.Failed(FailureKind.UNSUPPORTED_CAPABILITY,
                    "provider '" + id() + "' does not support " + mode.jsonName(), null));
            return;
        }
        transport.run(request, recorder, dialect.path(), requestBody(request).getBytes(StandardCharsets.UTF_8),
                "application/json", events -> new Decoder(events, request.stream()));
    }

    /** A failure found in the body. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final FailureKind kind;

        Failure(FailureKind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }

    private static String decode(byte[] bytes, int offset, int length) throws Failure {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, offset, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new Failure(FailureKind.MALFORMED_RESPONSE, "invalid UTF-8 in the response: " + e);
        }
    }

    private static Map<String, @Nullable Object> json(String text) throws Failure {
        try {
            return JsonTree.parseObject(text);
        } catch (IOException e) {
            throw new Failure(FailureKind.MALFORMED_RESPONSE, "not a JSON object: " + e.getMessage());
        }
    }

    private static WireEvent.Failed httpFailure(int status, byte[] body, int length, String contentType) {
        String text = new String(body, 0, length, StandardCharsets.UTF_8);
        Map<String, @Nullable Object> json;
        try {
            json = contentType.contains("json") && !text.isBlank() ? JsonTree.parseObject(text) : null;
        } catch (IOException e) {
            json = null;
        }
        if (json == null) {
            FailureKind kind = status == 404 || status == 405 ? FailureKind.NOT_FOUND
                    : text.isBlank() ? baseline(status) : FailureKind.MALFORMED_RESPONSE;
            return new WireEvent.Failed(kind, "HTTP " + status + " with a non-JSON body: " + abbreviate(text), status);
        }
        Object error = json.get("error");
        Object message = error instanceof String ? error : JsonTree.at(error, "message");
        Object type = JsonTree.at(error, "type");
        String words = message instanceof String ? (String) message : text;
        FailureKind kind;
        if ("exceed_context_size_error".equals(type)) {
            kind = FailureKind.CONTEXT_EXCEEDED;
        } else if (status == 404 && words.contains("model") && words.contains("not found")) {
            kind = FailureKind.MODEL_NOT_FOUND;
        } else if (status == 503 && words.contains("Loading model")) {
            kind = FailureKind.MODEL_LOADING;
        } else {
            kind = baseline(status);
        }
        return new WireEvent.Failed(kind, words, status);
    }

    /** The status table of the provider contract, written out here as a third-party provider would. */
    private static FailureKind baseline(int status) {
        switch (status) {
            case 400:
            case 422:
                return FailureKind.INVALID_REQUEST;
            case 401:
            case 403:
                return FailureKind.UNAUTHORIZED;
            case 404:
            case 405:
                return FailureKind.NOT_FOUND;
            case 429:
            case 503:
                return FailureKind.SERVER_BUSY;
            case 500:
                return FailureKind.SERVER_ERROR;
            case 501:
                return FailureKind.NOT_IMPLEMENTED;
            default:
                return FailureKind.HTTP_ERROR;
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }

    /** Turns one run's response into events with a generic JSON tree. */
    private final class Decoder implements ResponseDecoder {
        private final RunEvents recorder;
        private final boolean stream;
        private final StreamState state = new StreamState();

        Decoder(RunEvents recorder, boolean stream) {
            this.recorder = recorder;
            this.stream = stream;
        }

        @Override
        public Framing framing(ResponseHead head) {
            if (dialect.server().equals("ollama")) {
                return stream ? Framing.LINES : Framing.WHOLE_BODY;
            }
            return stream && head.isContentType("text/event-stream") ? Framing.SSE_EVENTS : Framing.WHOLE_BODY;
        }

        @Override
        public boolean frame(byte[] bytes, int offset, int length) {
            try {
                return !onFrame(decode(bytes, offset, length), recorder, state) && !recorder.ended();
            } catch (Failure failure) {
                recorder.fail(failure.kind, failure.getMessage(), 200);
                return false;
            }
        }

        @Override
        public void endOfBody() {
            recorder.fail(FailureKind.INCOMPLETE_RESPONSE, "stream ended without its final event", 200);
        }

        @Override
        public void wholeBody(ResponseHead head, byte[] body, int length) {
            try {
                if (stream) {
                    throw new Failure(FailureKind.MALFORMED_RESPONSE, "a streaming request answered with "
                            + head.contentType());
                }
                readBody(decode(body, 0, length), recorder);
            } catch (Failure failure) {
                recorder.fail(failure.kind, failure.getMessage(), head.status());
            }
        }

        @Override
        public WireEvent.Failed refineError(ResponseHead head, byte[] body, int length) {
            return httpFailure(head.status(), body, length, head.contentType());
        }
    }

    /** What an OpenAI stream said before {@code [DONE]}. */
    private static final class StreamState {
        @Nullable FinishReason finish;
        boolean finished;
    }

    /** Handles one SSE event's data or one NDJSON line; true when the run completed. */
    private boolean onFrame(String frame, RunEvents recorder, StreamState state) throws Failure {
        String payload = frame.trim();
        if (payload.isEmpty()) {
            return false;
        }
        if (payload.equals("[DONE]")) {
            if (dialect != ServerDialect.LLAMACPP_CHAT) {
                return false;
            }
            if (!state.finished) {
                throw new Failure(FailureKind.INCOMPLETE_RESPONSE, "[DONE] before a finish reason");
            }
            recorder.finish(new WireEvent.Completed(state.finish));
            return true;
        }
        Map<String, @Nullable Object> event = json(payload);
        if (event.containsKey("error")) {
            Object error = event.get("error");
            Object message = error instanceof String ? error : JsonTree.at(error, "message");
            throw new Failure(FailureKind.STREAM_ERROR, message instanceof String ? (String) message : payload);
        }
        String content = content(event);
        if (content != null && !content.isEmpty()) {
            Object tokens = event.get("tokens");
            if (!recorder.emit(new WireEvent.ContentDelta(content,
                    tokens instanceof List && !((List<?>) tokens).isEmpty() ? ((List<?>) tokens).size() : null))) {
                return true;
            }
        }
        switch (dialect.name()) {
            case "llamacpp_completion":
                if (Boolean.TRUE.equals(event.get("stop"))) {
                    finish(event, recorder);
                    return true;
                }
                return false;
            case "llamacpp_chat":
                Object choices = event.get("choices");
                if (choices instanceof List && !((List<?>) choices).isEmpty()) {
                    Object reason = JsonTree.at(((List<?>) choices).get(0), "finish_reason");
                    if (reason instanceof String) {
                        state.finished = true;
                        state.finish = finishReason(reason);
                    }
                }
                reportOpenAiFigures(event, recorder);
                return false;
            default:
                if (Boolean.TRUE.equals(event.get("done"))) {
                    finish(event, recorder);
                    return true;
                }
                return false;
        }
    }

    private @Nullable String content(Map<String, @Nullable Object> event) {
        Object value;
        switch (dialect.name()) {
            case "llamacpp_completion":
                value = event.get("content");
                break;
            case "llamacpp_chat":
                Object choices = event.get("choices");
                value = choices instanceof List && !((List<?>) choices).isEmpty()
                        ? JsonTree.at(((List<?>) choices).get(0), "delta", "content") : null;
                break;
            case "ollama_chat":
                value = JsonTree.at(event, "message", "content");
                break;
            default:
                value = event.get("response");
        }
        return value instanceof String ? (String) value : null;
    }

    private void readBody(String body, RunEvents recorder) throws Failure {
        Map<String, @Nullable Object> result = json(body);
        if (result.containsKey("error")) {
            throw new Failure(FailureKind.SERVER_ERROR, String.valueOf(result.get("error")));
        }
        Object content;
        switch (dialect.name()) {
            case "llamacpp_chat":
                Object choices = result.get("choices");
                content = choices instanceof List && !((List<?>) choices).isEmpty()
                        ? JsonTree.at(((List<?>) choices).get(0), "message", "content") : null;
                break;
            case "ollama_chat":
                content = JsonTree.at(result, "message", "content");
                break;
            case "ollama_generate":
                content = result.get("response");
                break;
            default:
                content = result.get("content");
        }
        if (!(content instanceof String)) {
            throw new Failure(FailureKind.MALFORMED_RESPONSE, "result without a content string");
        }
        recorder.emit(new WireEvent.ResponseBody((String) content));
        if (dialect == ServerDialect.LLAMACPP_CHAT) {
            reportOpenAiFigures(result, recorder);
            Object choices = result.get("choices");
            recorder.finish(new WireEvent.Completed(finishReason(JsonTree.at(((List<?>) choices).get(0), "finish_reason"))));
            return;
        }
        if (dialect.server().equals("ollama") && !Boolean.TRUE.equals(result.get("done"))) {
            throw new Failure(FailureKind.INCOMPLETE_RESPONSE, "result with done:false");
        }
        finish(result, recorder);
    }

    private static void reportOpenAiFigures(Map<String, @Nullable Object> event, RunEvents recorder) {
        Object usage = event.get("usage");
        if (usage != null) {
            recorder.emit(new WireEvent.ServerUsage(integer(JsonTree.at(usage, "prompt_tokens")),
                    integer(JsonTree.at(usage, "prompt_tokens_details", "cached_tokens")),
                    integer(JsonTree.at(usage, "completion_tokens"))));
        }
        Object timings = event.get("timings");
        if (timings != null) {
            recorder.emit(new WireEvent.ServerTimings(number(JsonTree.at(timings, "prompt_ms")),
                    number(JsonTree.at(timings, "predicted_ms")), null));
        }
    }

    private void finish(Map<String, @Nullable Object> result, RunEvents recorder) {
        if (dialect.server().equals("ollama")) {
            finishOllama(result, recorder);
            return;
        }
        Object timings = result.get("timings");
        Long cacheN = integer(JsonTree.at(timings, "cache_n"));
        Long promptN = integer(JsonTree.at(timings, "prompt_n"));
        Long predictedN = integer(JsonTree.at(timings, "predicted_n"));
        Long evaluated = cacheN != null && promptN != null ? Long.valueOf(cacheN + promptN)
                : integer(result.get("tokens_evaluated"));
        Long predicted = predictedN != null ? predictedN : integer(result.get("tokens_predicted"));
        if (evaluated != null || predicted != null || cacheN != null) {
            recorder.emit(new WireEvent.ServerUsage(evaluated, cacheN, predicted));
        }
        Double promptMs = number(JsonTree.at(timings, "prompt_ms"));
        Double predictedMs = number(JsonTree.at(timings, "predicted_ms"));
        if (promptMs != null || predictedMs != null) {
            recorder.emit(new WireEvent.ServerTimings(promptMs, predictedMs, null));
        }
        recorder.finish(new WireEvent.Completed(finishReason(result.get("stop_type"))));
    }

    private static void finishOllama(Map<String, @Nullable Object> result, RunEvents recorder) {
        Long promptCount = integer(result.get("prompt_eval_count"));
        Long evalCount = integer(result.get("eval_count"));
        if (promptCount != null || evalCount != null) {
            recorder.emit(new WireEvent.ServerUsage(promptCount, null, evalCount));
        }
        Double promptNs = number(result.get("prompt_eval_duration"));
        Double evalNs = number(result.get("eval_duration"));
        Double loadNs = number(result.get("load_duration"));
        if (promptNs != null || evalNs != null || loadNs != null) {
            recorder.emit(new WireEvent.ServerTimings(promptNs == null ? null : promptNs / 1e6,
                    evalNs == null ? null : evalNs / 1e6, loadNs == null ? null : loadNs / 1e6));
        }
        if (evalNs != null && evalCount != null && evalCount > 1 && evalNs < evalCount * 1000.0) {
            recorder.emit(new WireEvent.QualityFlag(RunQualityReason.UNIT_ANOMALY,
                    "eval_duration " + evalNs.longValue() + " ns for " + evalCount + " tokens is below 1 µs per token"));
        }
        recorder.finish(new WireEvent.Completed(finishReason(result.get("done_reason"))));
    }

    private static @Nullable FinishReason finishReason(@Nullable Object stopType) {
        if ("limit".equals(stopType) || "length".equals(stopType)) {
            return FinishReason.LENGTH;
        }
        if ("eos".equals(stopType) || "stop".equals(stopType)) {
            return FinishReason.STOP;
        }
        if ("word".equals(stopType)) {
            return FinishReason.STOP_SEQUENCE;
        }
        return stopType == null ? null : FinishReason.OTHER;
    }

    /** A count as the server said it, never narrowed to an int (the recorder judges implausible ones). */
    private static @Nullable Long integer(@Nullable Object value) {
        return value instanceof Number ? Long.valueOf(((Number) value).longValue()) : null;
    }

    private static @Nullable Double number(@Nullable Object value) {
        return value instanceof Number ? Double.valueOf(((Number) value).doubleValue()) : null;
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
