package dev.orket.provider.openai.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.orket.api.PromptStyle;
import dev.orket.api.RunRequest;
import dev.orket.core.stream.JsonValues;
import dev.orket.core.stream.OpenAiRequestFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes OpenAI request bodies from a {@link RunRequest}. Samples:
 *
 * <pre>
 * POST /v1/completions
 * {"model":"tiny","prompt":"The quick brown fox","stream":true,"stream_options":{"include_usage":true},
 *  "max_tokens":16,"seed":42,"temperature":0.0,"stop":["ate"]}
 * POST /v1/chat/completions
 * {"model":"tiny","messages":[{"role":"user","content":"Hi"}],"stream":false,"max_tokens":16,"seed":42}
 * </pre>
 *
 * Streaming requests always ask for {@code stream_options.include_usage}: without it vLLM, SGLang and OpenAI send no
 * token counts in a stream. Only fields of the OpenAI API are sent, plus the one field of {@link ColdCache} the
 * configuration names for runs that expect a cold prompt cache: a server that rejects unknown fields is not
 * surprised by a field it was not configured for.
 */
public final class RequestJson {

    /** What a run that expects a cold prompt cache adds to its request. */
    public enum ColdCache {
        /** Nothing: the server's cache report ({@code cached_tokens}) shows whether the run hit its cache. */
        NONE("none"),
        /** llama-server's {@code "cache_prompt":false}. */
        CACHE_PROMPT_FALSE("cache_prompt_false"),
        /** vLLM's {@code "cache_salt":"<run id>"}: a salt no earlier request used, so no prefix is shared. */
        CACHE_SALT("cache_salt");

        private final String setting;

        ColdCache(String setting) {
            this.setting = setting;
        }

        /** The value of the {@code cold_cache} setting that selects this. */
        public String setting() {
            return setting;
        }
    }

    private RequestJson() {}

    /**
     * The endpoint path for the request's prompt style under the API prefix.
     *
     * @param apiPrefix the path the OpenAI API lives under, e.g. {@code /v1}
     */
    public static String path(String apiPrefix, RunRequest request) {
        return apiPrefix + (request.promptStyle() == PromptStyle.CHAT ? "/chat/completions" : "/completions");
    }

    /** The JSON body for the request's prompt style. */
    public static byte[] body(RunRequest request, ColdCache coldCache) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + request.prompt().length() * 2);
        try (JsonGenerator g = JsonValues.factory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model", request.model());
            if (request.promptStyle() == PromptStyle.CHAT) {
                OpenAiRequestFields.messages(g, request.prompt());
            } else {
                g.writeStringField("prompt", request.prompt());
            }
            OpenAiRequestFields.stream(g, request.stream());
            if (request.maxOutputTokens() != null) {
                g.writeNumberField("max_tokens", request.maxOutputTokens());
            }
            OpenAiRequestFields.sampling(g, request);
            if (request.expectColdPromptCache()) {
                if (coldCache == ColdCache.CACHE_PROMPT_FALSE) {
                    g.writeBooleanField("cache_prompt", false);
                } else if (coldCache == ColdCache.CACHE_SALT) {
                    g.writeStringField("cache_salt", "orket-" + request.runId());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
