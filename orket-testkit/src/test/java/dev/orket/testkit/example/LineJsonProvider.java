package dev.orket.testkit.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.Capability;
import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.Readiness;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A third-party provider for the server of {@link LineJsonDialect}, on the core's transport. Not a product provider. */
final class LineJsonProvider implements InferenceProvider {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpTransport transport;

    LineJsonProvider(ProviderConfig config) {
        this.transport = HttpTransport.builder(config, "linejson").threadLabel("linejson").build();
    }

    @Override
    public String id() {
        return "linejson";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.STREAMING, Capability.NON_STREAMING, Capability.SERVER_TIMINGS,
                Capability.TOKEN_COUNTS, Capability.MODEL_LISTING);
    }

    @Override
    public Readiness probe(String model) {
        try {
            AdminResponse response = transport.get("/health");
            if (response.status() != 200) {
                return Readiness.blocked("model_loading", "GET /health answered " + response.status());
            }
            return models(response).contains(model) ? Readiness.readyNow()
                    : Readiness.blocked("model_not_listed", "GET /health does not list " + model);
        } catch (AdminCallException e) {
            return Readiness.blocked("unreachable", e.getMessage());
        } catch (IOException e) {
            return Readiness.blocked("unreadable", "GET /health is not JSON: " + e.getMessage());
        }
    }

    @Override
    public List<String> listModels() {
        try {
            return models(transport.get("/health"));
        } catch (AdminCallException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("GET /health is not JSON: " + e.getMessage(), e);
        }
    }

    private static List<String> models(AdminResponse response) throws IOException {
        List<String> models = new ArrayList<>();
        JSON.readTree(response.body()).path("models").forEach(name -> models.add(name.asText()));
        return models;
    }

    @Override
    public void execute(RunRequest request, RunRecorder recorder) {
        String body = JSON.createObjectNode().put("prompt", request.prompt()).put("stream", request.stream())
                .put("max_tokens", request.maxOutputTokens()).put("seed", request.seed()).toString();
        transport.run(request, recorder, "/generate", body.getBytes(StandardCharsets.UTF_8), "application/x-ndjson",
                events -> new Decoder(events, request.stream()));
    }

    @Override
    public void close() {
        transport.close();
    }

    /** Turns the lines, or the whole body, into canonical events. */
    private static final class Decoder implements ResponseDecoder {
        private final RunEvents events;
        private final boolean stream;

        Decoder(RunEvents events, boolean stream) {
            this.events = events;
            this.stream = stream;
        }

        @Override
        public Framing framing(ResponseHead head) {
            return stream ? Framing.LINES : Framing.WHOLE_BODY;
        }

        @Override
        public boolean frame(byte[] bytes, int offset, int length) {
            JsonNode line;
            try {
                line = length == 0 || new String(bytes, offset, length, StandardCharsets.UTF_8).isBlank() ? null
                        : JSON.readTree(bytes, offset, length);
            } catch (IOException e) {
                events.fail(FailureKind.MALFORMED_RESPONSE, "unreadable line: " + e.getMessage(), 200);
                return false;
            }
            if (line == null) {
                // A blank line keeps the connection open and says nothing.
                return true;
            }
            if (line.has("error")) {
                events.fail(FailureKind.STREAM_ERROR, line.path("error").asText(), 200);
                return false;
            }
            if (line.path("done").asBoolean()) {
                finish(line);
                return false;
            }
            String text = line.path("text").asText("");
            return text.isEmpty() || events.emit(new WireEvent.ContentDelta(text, null)) && !events.ended();
        }

        @Override
        public void endOfBody() {
            events.fail(FailureKind.INCOMPLETE_RESPONSE, "the stream ended without its done line", 200);
        }

        @Override
        public void wholeBody(ResponseHead head, byte[] body, int length) {
            JsonNode result;
            try {
                result = JSON.readTree(body, 0, length);
            } catch (IOException e) {
                events.fail(FailureKind.MALFORMED_RESPONSE, "unreadable body: " + e.getMessage(),
                        head.status());
                return;
            }
            if (!result.path("done").asBoolean() || !result.path("text").isTextual()) {
                events.fail(FailureKind.MALFORMED_RESPONSE, "a body without done and text: " + result, head.status());
                return;
            }
            events.emit(new WireEvent.ResponseBody(result.path("text").asText()));
            finish(result);
        }

        private void finish(JsonNode last) {
            JsonNode usage = last.path("usage");
            if (usage.isObject()) {
                events.emit(new WireEvent.ServerUsage(count(usage.path("prompt")), null, count(usage.path("output"))));
            }
            JsonNode ms = last.path("ms");
            if (ms.isObject()) {
                events.emit(new WireEvent.ServerTimings(millis(ms.path("prompt")), millis(ms.path("generation")), null));
            }
            String finish = last.path("finish").asText();
            events.finish(new WireEvent.Completed(finish.equals("length") ? FinishReason.LENGTH
                    : finish.equals("stop") ? FinishReason.STOP : FinishReason.OTHER));
        }

        @Override
        public WireEvent.@Nullable Failed refineError(ResponseHead head, byte[] body, int length) {
            // The status alone decides the kind (the transport's baseline table).
            return null;
        }

        private static @Nullable Long count(JsonNode node) {
            return node.isIntegralNumber() ? Long.valueOf(node.longValue()) : null;
        }

        private static @Nullable Double millis(JsonNode node) {
            return node.isNumber() ? Double.valueOf(node.doubleValue()) : null;
        }
    }
}
