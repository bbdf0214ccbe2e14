package dev.orket.simulator.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/** Small JSON reads and writes on jackson-core, for dispatchers and dialects. */
final class JsonFields {

    static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonFields() {}

    /** A top-level scalar field of a JSON object as text; null when absent, not an object or not JSON. */
    static @Nullable String topLevel(byte[] json, String name) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals(name) && value != null && value.isScalarValue()) {
                    return value == JsonToken.VALUE_NULL ? null : parser.getText();
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A JSON string literal, quotes included. */
    static String quote(String text) {
        StringWriter out = new StringWriter(text.length() + 2);
        try (var generator = FACTORY.createGenerator(out)) {
            generator.writeString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A double as llama.cpp prints it: always with a decimal point. */
    static String decimal(double value) {
        return Double.toString(value);
    }
}
