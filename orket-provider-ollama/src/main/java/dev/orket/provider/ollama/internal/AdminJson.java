package dev.orket.provider.ollama.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.orket.provider.ollama.LoadedModel;
import dev.orket.provider.ollama.ModelFacts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses the bodies of Ollama's model information endpoints, skipping what it does not use (an
 * {@code /api/show} body lists every tensor):
 *
 * <pre>
 * GET  /api/version {"version":"0.33.0-rc2"}
 * GET  /api/tags    {"models":[{"name":"m:q4_k_m","model":"m:q4_k_m","size":1418851,"details":{…},…}]}
 * GET  /api/ps      {"models":[{"name":"m:q4_k_m","size":9175040,"details":{…},"expires_at":"…","size_vram":0,"context_length":512}]}
 * POST /api/show    {"modelfile":"…","details":{"family":"llama","parameter_size":"2.23M","quantization_level":"Q4_K_M"},
 *                    "model_info":{"general.architecture":"llama","llama.context_length":512,…},"tensors":[…],"capabilities":["completion"]}
 * </pre>
 */
public final class AdminJson {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private AdminJson() {}

    /** {@code version} of {@code /api/version}. */
    public static String version(byte[] body) throws IOException {
        try (JsonParser parser = open(body)) {
            String version = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("version".equals(name) && value == JsonToken.VALUE_STRING) {
                    version = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            if (version == null) {
                throw new IOException("no \"version\" string in the /api/version body");
            }
            return version;
        }
    }

    /** The {@code name}s of {@code /api/tags}. */
    public static List<String> tagNames(byte[] body) throws IOException {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> model : models(body)) {
            Object name = model.get("name");
            if (name == null) {
                name = model.get("model");
            }
            if (name instanceof String) {
                names.add((String) name);
            }
        }
        return names;
    }

    /** The models of {@code /api/ps}. */
    public static List<LoadedModel> loadedModels(byte[] body) throws IOException {
        List<LoadedModel> loaded = new ArrayList<>();
        for (Map<String, Object> model : models(body)) {
            Object name = model.getOrDefault("name", model.get("model"));
            if (!(name instanceof String)) {
                continue;
            }
            Long size = asLong(model.get("size"));
            Long sizeVram = asLong(model.get("size_vram"));
            Long context = asLong(model.get("context_length"));
            loaded.add(new LoadedModel(ModelNames.normalize((String) name), size == null ? 0 : Math.max(0, size),
                    sizeVram == null ? 0 : Math.max(0, sizeVram),
                    context == null ? null : (int) Math.min(Integer.MAX_VALUE, context),
                    asString(model.get("details.quantization_level")), asString(model.get("expires_at"))));
        }
        return loaded;
    }

    /** The facts of {@code /api/show}. */
    public static ModelFacts modelFacts(String model, byte[] body) throws IOException {
        Map<String, Object> details = new HashMap<>();
        Map<String, Object> info = new HashMap<>();
        List<String> capabilities = new ArrayList<>();
        try (JsonParser parser = open(body)) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("details".equals(name) && value == JsonToken.START_OBJECT) {
                    readScalars(parser, "", details);
                } else if ("model_info".equals(name) && value == JsonToken.START_OBJECT) {
                    readScalars(parser, "", info);
                } else if ("capabilities".equals(name) && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        if (parser.currentToken() == JsonToken.VALUE_STRING) {
                            capabilities.add(parser.getText());
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        String architecture = asString(info.get("general.architecture"));
        Long context = architecture == null ? null : asLong(info.get(architecture + ".context_length"));
        return new ModelFacts(model, asString(details.get("quantization_level")), asString(details.get("parameter_size")),
                asString(details.get("family")), asString(details.get("format")), architecture,
                asLong(info.get("general.parameter_count")),
                context == null ? null : (int) Math.min(Integer.MAX_VALUE, context), capabilities);
    }

    private static List<Map<String, Object>> models(byte[] body) throws IOException {
        List<Map<String, Object>> models = new ArrayList<>();
        try (JsonParser parser = open(body)) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("models".equals(name) && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        Map<String, Object> model = new HashMap<>();
                        readScalars(parser, "", model);
                        models.add(model);
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        return models;
    }

    /** Reads an object's scalar fields, nested objects flattened as {@code outer.inner}; arrays skipped. */
    private static void readScalars(JsonParser parser, String prefix, Map<String, Object> into) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = prefix + parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT) {
                readScalars(parser, name + ".", into);
            } else if (value == JsonToken.VALUE_STRING) {
                into.put(name, parser.getText());
            } else if (value == JsonToken.VALUE_NUMBER_INT) {
                into.put(name, parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? Long.MAX_VALUE
                        : parser.getLongValue());
            } else if (value == JsonToken.VALUE_NUMBER_FLOAT) {
                into.put(name, parser.getDoubleValue());
            } else {
                parser.skipChildren();
            }
        }
    }

    private static JsonParser open(byte[] body) throws IOException {
        JsonParser parser = FACTORY.createParser(body);
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            parser.close();
            throw new IOException("expected a JSON object");
        }
        return parser;
    }

    private static @Nullable Long asLong(@Nullable Object value) {
        if (value instanceof Long) {
            return (Long) value;
        }
        if (value instanceof Double) {
            return ((Double) value).longValue();
        }
        return null;
    }

    private static @Nullable String asString(@Nullable Object value) {
        return value instanceof String ? (String) value : null;
    }
}
