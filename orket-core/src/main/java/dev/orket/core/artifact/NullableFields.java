package dev.orket.core.artifact;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Writes a field whose value may be absent: an absent value is JSON {@code null}, never {@code 0} or an
 * omitted key, so every artifact carries every key on every path.
 *
 * @since 0.1
 */
public final class NullableFields {

    private NullableFields() {}

    /** A string field, or null. */
    public static void string(JsonGenerator g, String name, @Nullable String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    /** A number field, or null: {@link Double} and {@link Float} as decimals, other numbers as integers. */
    public static void number(JsonGenerator g, String name, @Nullable Number value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else if (value instanceof Double || value instanceof Float) {
            g.writeNumberField(name, value.doubleValue());
        } else {
            g.writeNumberField(name, value.longValue());
        }
    }

    /** A boolean field, or null. */
    public static void bool(JsonGenerator g, String name, @Nullable Boolean value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeBooleanField(name, value);
        }
    }
}
