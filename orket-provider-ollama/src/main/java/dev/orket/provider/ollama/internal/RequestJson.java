package dev.orket.provider.ollama.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.orket.api.PromptStyle;
import dev.orket.api.RunRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds request bodies for Ollama's native endpoints, field order as in Ollama's own examples:
 *
 * <pre>
 * {"model":"m","prompt":"The quick brown fox","raw":true,"options":{"num_predict":16,"seed":42}}
 * {"model":"m","messages":[{"role":"user","content":"Say hello."}],"options":{...},"stream":false,"keep_alive":"5m"}
 * </pre>
 *
 * {@code stream} is written only when false (absent means true on every native endpoint).
 */
public final class RequestJson {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private RequestJson() {}

    /** The path a run of this style posts to. */
    public static String path(PromptStyle style) {
        return style == PromptStyle.CHAT ? "/api/chat" : "/api/generate";
    }

    /** The body of {@code POST /api/generate} or {@code /api/chat} for a run. */
    public static byte[] run(RunRequest request, Settings settings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + request.prompt().length());
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("model", request.model());
            if (request.promptStyle() == PromptStyle.CHAT) {
                json.writeArrayFieldStart("messages");
                if (settings.systemPrompt() != null) {
                    message(json, "system", settings.systemPrompt());
                }
                message(json, "user", request.prompt());
                json.writeEndArray();
            } else {
                json.writeStringField("prompt", request.prompt());
                if (settings.raw()) {
                    json.writeBooleanField("raw", true);
                }
            }
            options(json, request);
            if (!request.stream()) {
                json.writeBooleanField("stream", false);
            }
            keepAlive(json, settings);
            if (settings.think() != null) {
                String think = settings.think();
                if ("true".equals(think) || "false".equals(think)) {
                    json.writeBooleanField("think", Boolean.parseBoolean(think));
                } else {
                    json.writeStringField("think", think);
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code {"model":"m","keep_alive":0}}: unloads the model once the request finishes. */
    public static byte[] unload(String model) {
        return object(json -> {
            json.writeStringField("model", model);
            json.writeNumberField("keep_alive", 0);
        });
    }

    /** {@code {"model":"m"}} for {@code /api/show}. */
    public static byte[] show(String model) {
        return object(json -> json.writeStringField("model", model));
    }

    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] object(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void message(JsonGenerator json, String role, String content) throws IOException {
        json.writeStartObject();
        json.writeStringField("role", role);
        json.writeStringField("content", content);
        json.writeEndObject();
    }

    private static void options(JsonGenerator json, RunRequest request) throws IOException {
        boolean any = request.contextSize() != null || request.maxOutputTokens() != null || request.seed() != null
                || request.temperature() != null || request.threads() != null || !request.stopSequences().isEmpty();
        if (!any) {
            return;
        }
        json.writeObjectFieldStart("options");
        if (request.contextSize() != null) {
            json.writeNumberField("num_ctx", request.contextSize());
        }
        if (request.maxOutputTokens() != null) {
            json.writeNumberField("num_predict", request.maxOutputTokens());
        }
        if (request.seed() != null) {
            json.writeNumberField("seed", request.seed());
        }
        if (request.temperature() != null) {
            json.writeNumberField("temperature", request.temperature());
        }
        if (request.threads() != null) {
            json.writeNumberField("num_thread", request.threads());
        }
        if (!request.stopSequences().isEmpty()) {
            json.writeArrayFieldStart("stop");
            for (String stop : request.stopSequences()) {
                json.writeString(stop);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private static void keepAlive(JsonGenerator json, Settings settings) throws IOException {
        String keepAlive = settings.keepAlive();
        if (keepAlive == null) {
            return;
        }
        if (settings.keepAliveIsNumber()) {
            json.writeNumberField("keep_alive", Long.parseLong(keepAlive));
        } else {
            json.writeStringField("keep_alive", keepAlive);
        }
    }
}
