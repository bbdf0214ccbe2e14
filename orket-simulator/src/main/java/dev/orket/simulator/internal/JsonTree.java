package dev.orket.simulator.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses JSON into plain Java values on jackson-core: objects become insertion-ordered {@code Map}s,
 * arrays {@code List}s, numbers {@code Long} or {@code Double}, plus {@code String}, {@code Boolean}
 * and null. Not API.
 */
public final class JsonTree {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonTree() {}

    /**
     * Parses one JSON value that must fill the whole text.
     *
     * @throws IOException when the text is not one JSON value
     */
    public static @Nullable Object parse(String json) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IOException("empty JSON text");
            }
            Object value = read(parser, first);
            if (parser.nextToken() != null) {
                throw new IOException("trailing content after the JSON value");
            }
            return value;
        }
    }

    /** Parses a JSON object. @throws IOException when the text is not one JSON object */
    @SuppressWarnings("unchecked")
    public static Map<String, @Nullable Object> parseObject(String json) throws IOException {
        Object value = parse(json);
        if (!(value instanceof Map)) {
            throw new IOException("expected a JSON object");
        }
        return (Map<String, @Nullable Object>) value;
    }

    private static @Nullable Object read(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT:
                Map<String, @Nullable Object> object = new LinkedHashMap<>();
                JsonToken next;
                while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    object.put(name, read(parser, parser.nextToken()));
                }
                if (next != JsonToken.END_OBJECT) {
                    throw new IOException("unterminated object");
                }
                return object;
            case START_ARRAY:
                List<@Nullable Object> array = new ArrayList<>();
                JsonToken element;
                while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (element == null) {
                        throw new IOException("unterminated array");
                    }
                    array.add(read(parser, element));
                }
                return array;
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected token " + token);
        }
    }

    /** A nested value by a path of object keys, or null when any step is missing or not an object. */
    public static @Nullable Object at(@Nullable Object root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map)) {
                return null;
            }
            current = ((Map<?, ?>) current).get(key);
        }
        return current;
    }
}
