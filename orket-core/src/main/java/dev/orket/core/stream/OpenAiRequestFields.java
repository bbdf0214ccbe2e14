package dev.orket.core.stream;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.orket.api.RunRequest;
import java.io.IOException;

/**
 * Writes the fields of a request body that llama-server's {@code /v1} endpoints and every OpenAI-compatible server
 * (vLLM, SGLang, TGI, LM Studio) read the same way, so that the providers speaking that format write them alike. The
 * provider writes the rest (the model, the prompt of a completion, its token limit, cache settings) in its own order
 * around them. Sample of what they write:
 *
 * <pre>
 * "messages":[{"role":"user","content":"Hello"}]
 * "stream":true,"stream_options":{"include_usage":true}
 * "seed":42,"temperature":0.0,"stop":["\n\n"]
 * </pre>
 *
 * @since 0.2
 */
public final class OpenAiRequestFields {

    private OpenAiRequestFields() {}

    /** A chat request's {@code messages}: the prompt as the one user message. */
    public static void messages(JsonGenerator g, String prompt) throws IOException {
        g.writeArrayFieldStart("messages");
        g.writeStartObject();
        g.writeStringField("role", "user");
        g.writeStringField("content", prompt);
        g.writeEndObject();
        g.writeEndArray();
    }

    /**
     * {@code stream}, and for a stream {@code stream_options.include_usage}, so that the stream ends with a chunk
     * carrying the token counts.
     */
    public static void stream(JsonGenerator g, boolean stream) throws IOException {
        g.writeBooleanField("stream", stream);
        if (stream) {
            g.writeObjectFieldStart("stream_options");
            g.writeBooleanField("include_usage", true);
            g.writeEndObject();
        }
    }

    /**
     * The request's {@code seed}, {@code temperature} and {@code stop} sequences, each only when the run sets it
     * (llama-server's native {@code /completion} takes the same three).
     */
    public static void sampling(JsonGenerator g, RunRequest request) throws IOException {
        if (request.seed() != null) {
            g.writeNumberField("seed", request.seed());
        }
        if (request.temperature() != null) {
            g.writeNumberField("temperature", request.temperature());
        }
        if (!request.stopSequences().isEmpty()) {
            g.writeArrayFieldStart("stop");
            for (String stop : request.stopSequences()) {
                g.writeString(stop);
            }
            g.writeEndArray();
        }
    }
}
