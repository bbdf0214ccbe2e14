package dev.orket.provider.llamacpp.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.orket.core.stream.JsonValues;
import dev.orket.core.stream.LlamaServerProps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads llama-server's diagnostic bodies: {@code GET /props} (with the core's {@link LlamaServerProps}) and
 * {@code GET /v1/models}. Sample of the latter:
 *
 * <pre>
 * {"models":[...],"object":"list","data":[{"id":"models/tiny-random-llama-Q4_K_M.gguf","aliases":[...],
 *  "meta":{"vocab_type":true,"n_ctx":512,"ftype":"Q4_K - Medium",...}}]}
 * </pre>
 */
public final class InfoReader {

    private InfoReader() {}

    /** Reads {@code /props} (the fields {@link LlamaServerProps} names). */
    public static LlamaServerProps props(byte[] body) throws EventReader.MalformedException {
        try {
            return LlamaServerProps.read(body);
        } catch (IOException e) {
            throw new EventReader.MalformedException("invalid /props JSON: " + e.getMessage());
        }
    }

    /** Reads the model ids of {@code /v1/models} ({@code data[].id}), in order. */
    public static List<String> modelIds(byte[] body) throws EventReader.MalformedException {
        List<String> ids = new ArrayList<>();
        try (JsonParser p = JsonValues.factory().createParser(body)) {
            JsonValues.expectObject(p.nextToken());
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
