package dev.orket.provider.llamacpp.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.orket.api.PromptStyle;
import dev.orket.api.RunRequest;
import dev.orket.core.stream.JsonValues;
import dev.orket.core.stream.OpenAiRequestFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes llama-server request bodies from a {@link RunRequest}. Samples:
 *
 * <pre>
 * POST /completion
 * {"model":"tiny","prompt":"The quick brown fox","stream":true,"n_predict":16,"seed":42,"temperature":0.0,"stop":["ate"],"cache_prompt":false}
 * POST /v1/chat/completions
 * {"model":"tiny","messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true},
 *  "max_tokens":16,"seed":42}
 * </pre>
 *
 * {@code cache_prompt:false} is sent only for runs that expect a cold prompt cache; otherwise the
 * server's default (reuse) applies. The context size is a server start argument ({@code -c}),
 * not a request field, so {@link RunRequest#contextSize()} is not sent.
 */
public final class RequestJson {

    private RequestJson() {}

    /** The endpoint path for the request's prompt style. */
    public static String path(RunRequest request) {
        return request.promptStyle() == PromptStyle.CHAT ? "/v1/chat/completions" : "/completion";
    }

    /** The JSON body for the request's prompt style. */
    public static byte[] body(RunRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + request.prompt().length() * 2);
        try (JsonGenerator g = JsonValues.factory().createGenerator(out)) {
            g.writeStartObject();
            if (request.promptStyle() == PromptStyle.CHAT) {
                g.writeStringField("model", request.model());
                OpenAiRequestFields.messages(g, request.prompt());
                OpenAiRequestFields.stream(g, request.stream());
                if (request.maxOutputTokens() != null) {
                    g.writeNumberField("max_tokens", request.maxOutputTokens());
                }
            } else {
                // A single-model server ignores it; a router-mode server needs it to pick the model.
                g.writeStringField("model", request.model());
                g.writeStringField("prompt", request.prompt());
                g.writeBooleanField("stream", request.stream());
                if (request.maxOutputTokens() != null) {
                    g.writeNumberField("n_predict", request.maxOutputTokens());
                }
            }
            OpenAiRequestFields.sampling(g, request);
            if (request.expectColdPromptCache()) {
                g.writeBooleanField("cache_prompt", false);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
