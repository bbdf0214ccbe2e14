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
import dev.orket.testkit.internal.JsonTree;
import dev.orket.testkit.server.ServerDialect;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A minimal provider on {@link HttpClient} (HTTP/1.1) for every dialect the scripted server speaks:
 * the testkit's own proof that its contract suite can be passed. Not a product provider.
 */
final class ReferenceProvider implements InferenceProvider {

    static final int LINE_LIMIT = 8 * 1024 * 1024;
    private static final int BODY_LIMIT = 16 * 1024 * 1024;

    private final URI base;
    private final Set<Capability> capabilities;
    private final HttpClient client;
    private final ServerDialect dialect;

    ReferenceProvider(ProviderConfig config, Set<Capability> capabilities) {
        this(config, capabilities, ServerDialect.LLAMACPP_COMPLETION);
    }

    ReferenceProvider(ProviderConfig config, Set<Capability> capabilities, ServerDialect dialect) {
        this.dialect = dialect;
        this.base = config.baseUrl();
        this.capabilities = capabilities.isEmpty() ? Set.of() : EnumSet.copyOf(capabilities);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout()).build();
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
        HttpRequest request = HttpRequest.newBuilder(base.resolve(ollama ? "/api/tags" : "/health"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (ollama) {
                return names(response.body(), "models", "name").contains(model) ? Readiness.readyNow()
                        : Readiness.blocked("model_not_listed", "Ollama does not list " + model + " in /api/tags");
            }
            if (response.statusCode() == 200) {
                return Readiness.readyNow();
            }
            if (response.statusCode() == 503) {
                return Readiness.blocked("model_loading", "llama-server answered 503: " + response.body());
            }
            return Readiness.blocked("server_error", "llama-server answered " + response.statusCode());
        } catch (ConnectException e) {
            return Readiness.blocked("unreachable", "nothing listens on " + base + ": " + e);
        } catch (IOException e) {
            return Readiness.blocked("unreachable", "cannot reach " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Readiness.blocked("interrupted", "probe interrupted");
        }
    }

    @Override
    public List<String> listModels() {
        if (!capabilities.contains(Capability.MODEL_LISTING)) {
            throw new UnsupportedCapabilityException(id(), Capability.MODEL_LISTING);
        }
        boolean ollama = dialect.server().equals("ollama");
        try {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(base.resolve(ollama ? "/api/tags" : "/v1/models"))
                            .timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return ollama ? names(response.body(), "models", "name") : names(response.body(), "data", "id");
        } catch (IOException e) {
            throw new IllegalStateException("cannot list models at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
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
        switch (dialect) {
            case LLAMACPP_COMPLETION:
                return "{\"model\":" + quote(request.model()) + ",\"prompt\":" + quote(request.prompt())
                        + (limit.isEmpty() ? "" : ",\"n_predict\":" + limit) + (seed.isEmpty() ? "" : ",\"seed\":" + seed)
                        + ",\"stream\":" + request.stream() + "}";
            case LLAMACPP_CHAT:
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
        String body = requestBody(request);
        HttpRequest http = HttpRequest.newBuilder(base.resolve(dialect.path())).timeout(request.timeout())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        BodyQueue queue = new BodyQueue();
        recorder.record(new WireEvent.RequestSent());
        CompletableFuture<HttpResponse<Void>> pending = client.sendAsync(http, info -> queue);
        HttpResponse<Void> response;
        try {
            response = pending.get(request.timeout().toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            recorder.record(new WireEvent.Failed(FailureKind.TIMEOUT, "no response headers within " + request.timeout(), null));
            return;
        } catch (ExecutionException e) {
            recorder.record(connectFailure(e.getCause(), request.timeout()));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(true);
            recorder.record(new WireEvent.Cancelled("interrupted"));
            return;
        }
        int status = response.statusCode();
        recorder.record(new WireEvent.ResponseStarted(status));
        try {
            if (status != 200) {
                recorder.record(httpFailure(status, readAll(queue, request.timeout()),
                        response.headers().firstValue("Content-Type").orElse("")));
            } else if (request.stream()) {
                readStream(queue, request.timeout(), recorder);
            } else {
                readBody(readAll(queue, request.timeout()), recorder);
            }
        } catch (Failure failure) {
            recorder.record(new WireEvent.Failed(failure.kind, failure.getMessage(), status));
        } catch (IOException e) {
            recorder.record(new WireEvent.Failed(FailureKind.CONNECTION_CLOSED, "connection failed mid-body: " + e, status));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            recorder.record(new WireEvent.Cancelled("interrupted"));
        } finally {
            queue.cancel();
        }
    }

    private static WireEvent.Failed connectFailure(Throwable cause, Duration timeout) {
        if (cause instanceof HttpTimeoutException) {
            return new WireEvent.Failed(FailureKind.TIMEOUT, "no response within " + timeout + ": " + cause, null);
        }
        if (cause instanceof ConnectException) {
            return new WireEvent.Failed(FailureKind.CONNECTION_REFUSED, "connection refused: " + cause, null);
        }
        return new WireEvent.Failed(FailureKind.CONNECTION_FAILED, "request failed: " + cause, null);
    }

    /** A failure found while reading the body. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final FailureKind kind;

        Failure(FailureKind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }

    private static byte[] readAll(BodyQueue queue, Duration timeout) throws IOException, InterruptedException, Failure {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            byte[] bytes = queue.take(Math.max(1L, deadline - System.nanoTime()));
            if (bytes == null) {
                throw new Failure(FailureKind.TIMEOUT, "body not complete within " + timeout);
            }
            if (bytes == BodyQueue.END) {
                return body.toByteArray();
            }
            body.write(bytes);
            if (body.size() > BODY_LIMIT) {
                throw new Failure(FailureKind.RESPONSE_TOO_LARGE, "body larger than " + BODY_LIMIT + " bytes");
            }
        }
    }

    private static String decode(byte[] bytes) throws Failure {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
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

    private static WireEvent.Failed httpFailure(int status, byte[] body, String contentType) {
        String text = new String(body, StandardCharsets.UTF_8);
        Map<String, @Nullable Object> json;
        try {
            json = contentType.contains("json") ? JsonTree.parseObject(text) : null;
        } catch (IOException e) {
            json = null;
        }
        if (json == null) {
            FailureKind kind = status == 404 || status == 405 ? FailureKind.NOT_FOUND : FailureKind.MALFORMED_RESPONSE;
            return new WireEvent.Failed(kind, "HTTP " + status + " with a non-JSON body: " + abbreviate(text), status);
        }
        Object error = json.get("error");
        Object message = error instanceof String ? error : JsonTree.at(error, "message");
        Object type = JsonTree.at(error, "type");
        String words = message instanceof String ? (String) message : text;
        FailureKind kind;
        if ("exceed_context_size_error".equals(type)) {
            kind = FailureKind.CONTEXT_EXCEEDED;
        } else {
            switch (status) {
                case 400:
                    kind = FailureKind.INVALID_REQUEST;
                    break;
                case 401:
                case 403:
                    kind = FailureKind.UNAUTHORIZED;
                    break;
                case 404:
                    kind = words.contains("model") && words.contains("not found") ? FailureKind.MODEL_NOT_FOUND
                            : FailureKind.NOT_FOUND;
                    break;
                case 500:
                    kind = FailureKind.SERVER_ERROR;
                    break;
                case 501:
                    kind = FailureKind.NOT_IMPLEMENTED;
                    break;
                case 503:
                    kind = words.contains("Loading model") ? FailureKind.MODEL_LOADING : FailureKind.SERVER_BUSY;
                    break;
                default:
                    kind = FailureKind.HTTP_ERROR;
            }
        }
        return new WireEvent.Failed(kind, words, status);
    }

    private static String abbreviate(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }

    private void readStream(BodyQueue queue, Duration gapTimeout, RunRecorder recorder)
            throws IOException, InterruptedException, Failure {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        StreamState state = new StreamState();
        while (true) {
            byte[] bytes = queue.take(gapTimeout.toNanos());
            if (bytes == null) {
                throw new Failure(FailureKind.TIMEOUT, "no data for " + gapTimeout + " mid-stream");
            }
            if (bytes == BodyQueue.END) {
                throw new Failure(FailureKind.INCOMPLETE_RESPONSE, "stream ended without its final event");
            }
            for (byte b : bytes) {
                if (b == '\n') {
                    if (onLine(decode(line.toByteArray()), recorder, state)) {
                        return;
                    }
                    line.reset();
                } else {
                    line.write(b);
                    if (line.size() > LINE_LIMIT) {
                        throw new Failure(FailureKind.RESPONSE_TOO_LARGE, "event line larger than " + LINE_LIMIT + " bytes");
                    }
                }
            }
        }
    }

    /** What an OpenAI stream said before {@code [DONE]}. */
    private static final class StreamState {
        @Nullable FinishReason finish;
        boolean finished;
    }

    /** Handles one SSE or NDJSON line; true when the run completed. */
    private boolean onLine(String line, RunRecorder recorder, StreamState state) throws Failure {
        String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        boolean ollama = dialect.server().equals("ollama");
        String payload;
        if (ollama) {
            payload = text.trim();
            if (payload.isEmpty()) {
                return false;
            }
        } else {
            if (text.isEmpty() || text.startsWith(":") || !text.startsWith("data:")) {
                return false;
            }
            payload = text.substring(5).trim();
        }
        if (payload.equals("[DONE]")) {
            if (dialect != ServerDialect.LLAMACPP_CHAT) {
                return false;
            }
            if (!state.finished) {
                throw new Failure(FailureKind.INCOMPLETE_RESPONSE, "[DONE] before a finish reason");
            }
            recorder.record(new WireEvent.Completed(state.finish));
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
            recorder.record(new WireEvent.ContentDelta(content,
                    tokens instanceof List && !((List<?>) tokens).isEmpty() ? ((List<?>) tokens).size() : null));
        }
        switch (dialect) {
            case LLAMACPP_COMPLETION:
                if (Boolean.TRUE.equals(event.get("stop"))) {
                    finish(event, recorder);
                    return true;
                }
                return false;
            case LLAMACPP_CHAT:
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
        switch (dialect) {
            case LLAMACPP_COMPLETION:
                value = event.get("content");
                break;
            case LLAMACPP_CHAT:
                Object choices = event.get("choices");
                value = choices instanceof List && !((List<?>) choices).isEmpty()
                        ? JsonTree.at(((List<?>) choices).get(0), "delta", "content") : null;
                break;
            case OLLAMA_CHAT:
                value = JsonTree.at(event, "message", "content");
                break;
            default:
                value = event.get("response");
        }
        return value instanceof String ? (String) value : null;
    }

    private void readBody(byte[] body, RunRecorder recorder) throws Failure {
        Map<String, @Nullable Object> result = json(decode(body));
        if (result.containsKey("error")) {
            throw new Failure(FailureKind.SERVER_ERROR, String.valueOf(result.get("error")));
        }
        Object content;
        switch (dialect) {
            case LLAMACPP_CHAT:
                Object choices = result.get("choices");
                content = choices instanceof List && !((List<?>) choices).isEmpty()
                        ? JsonTree.at(((List<?>) choices).get(0), "message", "content") : null;
                break;
            case OLLAMA_CHAT:
                content = JsonTree.at(result, "message", "content");
                break;
            case OLLAMA_GENERATE:
                content = result.get("response");
                break;
            default:
                content = result.get("content");
        }
        if (!(content instanceof String)) {
            throw new Failure(FailureKind.MALFORMED_RESPONSE, "result without a content string");
        }
        recorder.record(new WireEvent.ResponseBody((String) content));
        if (dialect == ServerDialect.LLAMACPP_CHAT) {
            reportOpenAiFigures(result, recorder);
            Object choices = result.get("choices");
            recorder.record(new WireEvent.Completed(finishReason(JsonTree.at(((List<?>) choices).get(0), "finish_reason"))));
            return;
        }
        if (dialect.server().equals("ollama") && !Boolean.TRUE.equals(result.get("done"))) {
            throw new Failure(FailureKind.INCOMPLETE_RESPONSE, "result with done:false");
        }
        finish(result, recorder);
    }

    private static void reportOpenAiFigures(Map<String, @Nullable Object> event, RunRecorder recorder) {
        Object usage = event.get("usage");
        if (usage != null) {
            recorder.record(new WireEvent.ServerUsage(integer(JsonTree.at(usage, "prompt_tokens")),
                    integer(JsonTree.at(usage, "prompt_tokens_details", "cached_tokens")),
                    integer(JsonTree.at(usage, "completion_tokens"))));
        }
        Object timings = event.get("timings");
        if (timings != null) {
            recorder.record(new WireEvent.ServerTimings(number(JsonTree.at(timings, "prompt_ms")),
                    number(JsonTree.at(timings, "predicted_ms")), null));
        }
    }

    private void finish(Map<String, @Nullable Object> result, RunRecorder recorder) {
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
            recorder.record(new WireEvent.ServerUsage(evaluated, cacheN, predicted));
        }
        Double promptMs = number(JsonTree.at(timings, "prompt_ms"));
        Double predictedMs = number(JsonTree.at(timings, "predicted_ms"));
        if (promptMs != null || predictedMs != null) {
            recorder.record(new WireEvent.ServerTimings(promptMs, predictedMs, null));
        }
        recorder.record(new WireEvent.Completed(finishReason(result.get("stop_type"))));
    }

    private static void finishOllama(Map<String, @Nullable Object> result, RunRecorder recorder) {
        Long promptCount = integer(result.get("prompt_eval_count"));
        Long evalCount = integer(result.get("eval_count"));
        if (promptCount != null || evalCount != null) {
            recorder.record(new WireEvent.ServerUsage(promptCount, null, evalCount));
        }
        Double promptNs = number(result.get("prompt_eval_duration"));
        Double evalNs = number(result.get("eval_duration"));
        Double loadNs = number(result.get("load_duration"));
        if (promptNs != null || evalNs != null || loadNs != null) {
            recorder.record(new WireEvent.ServerTimings(promptNs == null ? null : promptNs / 1e6,
                    evalNs == null ? null : evalNs / 1e6, loadNs == null ? null : loadNs / 1e6));
        }
        if (evalNs != null && evalCount != null && evalCount > 1 && evalNs < evalCount * 1000.0) {
            recorder.record(new WireEvent.QualityFlag(RunQualityReason.UNIT_ANOMALY,
                    "eval_duration " + evalNs.longValue() + " ns for " + evalCount + " tokens is below 1 µs per token"));
        }
        recorder.record(new WireEvent.Completed(finishReason(result.get("done_reason"))));
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
