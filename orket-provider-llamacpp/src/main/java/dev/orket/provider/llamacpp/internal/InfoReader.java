package dev.orket.provider.llamacpp.internal;

import static dev.orket.core.stream.JsonValues.expectObject;
import static dev.orket.core.stream.JsonValues.positive;
import static dev.orket.core.stream.JsonValues.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.orket.core.stream.JsonValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads llama-server's diagnostic bodies: {@code GET /props} and {@code GET /v1/models}. Samples:
 *
 * <pre>
 * {"default_generation_settings":{"params":{...},"n_ctx":512},"total_slots":1,"model_ftype":"Q4_K - Medium",
 *  "model_path":"models/tiny-random-llama-Q4_K_M.gguf","build_info":"b10587-3f545bec",...}
 * {"models":[...],"object":"list","data":[{"id":"models/tiny-random-llama-Q4_K_M.gguf","aliases":[...],
 *  "meta":{"vocab_type":true,"n_ctx":512,"ftype":"Q4_K - Medium",...}}]}
 * </pre>
 *
 * Older servers put {@code n_ctx} at the top level of {@code /props}; both places are read.
 */
public final class InfoReader {

    /** The {@code /props} fields the provider uses; null where absent. */
    public static final class Props {
        public @Nullable String build;
        public @Nullable String modelPath;
        public @Nullable Integer contextSize;
        public @Nullable String ftype;
        public @Nullable Integer totalSlots;
    }

    private InfoReader() {}

    /** Reads {@code /props}. */
    public static Props props(byte[] body) throws EventReader.MalformedException {
        Props props = new Props();
        try (JsonParser p = JsonValues.factory().createParser(body)) {
            expectObject(p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "build_info":
                        props.build = text(p, v);
                        break;
                    case "model_path":
                        props.modelPath = text(p, v);
                        break;
                    case "model_ftype":
                        props.ftype = text(p, v);
                        break;
                    case "total_slots":
                        props.totalSlots = positive(p, v);
                        break;
                    case "n_ctx":
                        props.contextSize = positive(p, v);
                        break;
                    case "default_generation_settings":
                        if (v == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String inner = p.currentName();
                                JsonToken iv = p.nextToken();
                                if ("n_ctx".equals(inner)) {
                                    props.contextSize = positive(p, iv);
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else {
                            p.skipChildren();
                        }
                        break;
                    default:
                        p.skipChildren();
                        break;
                }
            }
        } catch (IOException e) {
            throw new EventReader.MalformedException("invalid /props JSON: " + e.getMessage());
        }
        return props;
    }

    /** Reads the model ids of {@code /v1/models} ({@code data[].id}), in order. */
    public static List<String> modelIds(byte[] body) throws EventReader.MalformedException {
        List<String> ids = new ArrayList<>();
        try (JsonParser p = JsonValues.factory().createParser(body)) {
            expectObject(p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("data".equals(name) && v == JsonToken.START_ARRAY) {
                    JsonToken t;
                    while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String field = p.currentName();
                            JsonToken fv = p.nextToken();
                            if ("id".equals(field) && fv == JsonToken.VALUE_STRING) {
                                ids.add(p.getText());
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    if (t != JsonToken.END_ARRAY) {
                        throw new IOException("data[] holds a non-object");
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new EventReader.MalformedException("invalid /v1/models JSON: " + e.getMessage());
        }
        return ids;
    }
}
