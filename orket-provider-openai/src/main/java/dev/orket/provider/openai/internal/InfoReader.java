package dev.orket.provider.openai.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.orket.core.stream.JsonValues;
import dev.orket.core.stream.LlamaServerProps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads the diagnostic bodies of OpenAI-compatible servers: {@code GET /v1/models} (every server),
 * llama-server's {@code GET /props} (with the core's {@link LlamaServerProps}) and vLLM's {@code GET /version}.
 * Samples:
 *
 * <pre>
 * {"object":"list","data":[{"id":"meta-llama/Llama-3.1-8B-Instruct","object":"model","owned_by":"vllm",
 *  "root":"/models/Llama-3.1-8B-Instruct","max_model_len":8192,...}]}
 * {"models":[...],"object":"list","data":[{"id":"models/tiny-random-llama-Q4_K_M.gguf","aliases":[...],
 *  "owned_by":"llamacpp","meta":{"n_ctx":512,"ftype":"Q4_K - Medium",...}}]}
 * {"version":"0.11.0"}
 * </pre>
 */
public final class InfoReader {

    /** One entry of {@code /v1/models}'s {@code data[]}. */
    public record Model(String id, List<String> aliases, @Nullable String ownedBy, @Nullable String root,
            @Nullable Integer contextSize) {

        public Model {
            Objects.requireNonNull(id, "id");
            aliases = List.copyOf(aliases);
        }

        /** Whether a request naming {@code model} asks for this entry (its id or one of llama-server's aliases). */
        public boolean answersTo(String model) {
            return id.equals(model) || aliases.contains(model);
        }

        /** Whether llama-server listed it ({@code owned_by: llamacpp}): it serves its one model whatever name a request carries. */
        public boolean fromLlamaServer() {
            return "llamacpp".equals(ownedBy);
        }
    }

    private InfoReader() {}

    /** Reads {@code /v1/models}' {@code data[]}, in order. */
    public static List<Model> models(byte[] body) throws ChunkReader.MalformedException {
        List<Model> models = new ArrayList<>();
        try (JsonParser p = JsonValues.factory().createParser(body)) {
            JsonValues.expectObject(p.nextToken());
            boolean sawData = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("data".equals(name) && v == JsonToken.START_ARRAY) {
                    sawData = true;
                    JsonToken t;
                    while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                        Model model = model(p);
                        if (model != null) {
                            models.add(model);
                        }
                    }
                    if (t != JsonToken.END_ARRAY) {
                        throw new IOException("data[] holds a non-object");
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (!sawData) {
                throw new IOException("no \"data\" array");
            }
        } catch (IOException e) {
            throw new ChunkReader.MalformedException("not an OpenAI model list: " + e.getMessage());
        }
        return models;
    }

    private static @Nullable Model model(JsonParser p) throws IOException {
        String id = null;
        List<String> aliases = new ArrayList<>();
        String ownedBy = null;
        String root = null;
        Integer maxModelLen = null;
        Integer metaContext = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "id":
                    id = JsonValues.text(p, v);
                    break;
                case "aliases":
                    if (v == JsonToken.START_ARRAY) {
                        JsonToken a;
                        while ((a = p.nextToken()) != JsonToken.END_ARRAY) {
                            if (a == JsonToken.VALUE_STRING) {
                                aliases.add(p.getText());
                            } else if (a == null) {
                                throw new IOException("unexpected end of input in aliases");
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "owned_by":
                    ownedBy = JsonValues.text(p, v);
                    break;
                case "root":
                    root = JsonValues.text(p, v);
                    break;
                case "max_model_len":
                    maxModelLen = JsonValues.positive(p, v);
                    break;
                case "meta":
                    metaContext = JsonValues.positiveIn(p, v, "n_ctx", metaContext);
                    break;
                default:
                    p.skipChildren();
                    break;
            }
        }
        return id == null ? null
                : new Model(id, aliases, ownedBy, root, maxModelLen != null ? maxModelLen : metaContext);
    }

    /** Reads llama-server's {@code /props} (the fields {@link LlamaServerProps} names). */
    public static LlamaServerProps props(byte[] body) throws ChunkReader.MalformedException {
        try {
            return LlamaServerProps.read(body);
        } catch (IOException e) {
            throw new ChunkReader.MalformedException("not llama-server's /props: " + e.getMessage());
        }
    }

    /** Reads vLLM's {@code /version} ({@code {"version":"0.11.0"}}); null when the body carries none. */
    public static @Nullable String version(byte[] body) throws ChunkReader.MalformedException {
        String version = null;
        try (JsonParser p = JsonValues.factory().createParser(body)) {
            JsonValues.expectObject(p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("version".equals(name)) {
                    version = JsonValues.text(p, v);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new ChunkReader.MalformedException("not a version object: " + e.getMessage());
        }
        return version;
    }
}
