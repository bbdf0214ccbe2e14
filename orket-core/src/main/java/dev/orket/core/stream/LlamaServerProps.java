package dev.orket.core.stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The fields of llama-server's {@code GET /props} that Orket reads, as the server wrote them; null where absent or of
 * another type. Read here once because two providers ask llama-server for them (the llama.cpp one always, the
 * OpenAI-compatible one when {@code /v1/models} says the server is llama-server). Sample:
 *
 * <pre>
 * {"default_generation_settings":{"params":{...},"n_ctx":512},"total_slots":1,"model_ftype":"Q4_K - Medium",
 *  "model_path":"models/tiny-random-llama-Q4_K_M.gguf","build_info":"b10587-3f545bec",...}
 * </pre>
 *
 * @param build {@code build_info}
 * @param modelPath {@code model_path}
 * @param contextSize {@code default_generation_settings.n_ctx}, or the top-level {@code n_ctx} of older servers,
 *     whichever comes last; a positive int only
 * @param ftype {@code model_ftype}, e.g. {@code Q4_K - Medium}
 * @param totalSlots {@code total_slots}; a positive int only
 * @since 0.2
 */
public record LlamaServerProps(@Nullable String build, @Nullable String modelPath, @Nullable Integer contextSize,
        @Nullable String ftype, @Nullable Integer totalSlots) {

    /**
     * Reads a {@code /props} body.
     *
     * @throws IOException when the body is not one JSON object, with Jackson's reason; the caller names the endpoint
     */
    public static LlamaServerProps read(byte[] body) throws IOException {
        String build = null;
        String modelPath = null;
        Integer contextSize = null;
        String ftype = null;
        Integer totalSlots = null;
        try (JsonParser p = JsonValues.factory().createParser(body)) {
            JsonValues.expectObject(p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "build_info":
                        build = JsonValues.text(p, v);
                        break;
                    case "model_path":
                        modelPath = JsonValues.text(p, v);
                        break;
                    case "model_ftype":
                        ftype = JsonValues.text(p, v);
                        break;
                    case "total_slots":
                        totalSlots = JsonValues.positive(p, v);
                        break;
                    case "n_ctx":
                        // Older servers put n_ctx at the top level.
                        contextSize = JsonValues.positive(p, v);
                        break;
                    case "default_generation_settings":
                        contextSize = JsonValues.positiveIn(p, v, "n_ctx", contextSize);
                        break;
                    default:
                        p.skipChildren();
                        break;
                }
            }
        }
        return new LlamaServerProps(build, modelPath, contextSize, ftype, totalSlots);
    }
}
