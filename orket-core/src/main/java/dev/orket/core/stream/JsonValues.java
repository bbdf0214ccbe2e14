package dev.orket.core.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The value reads a provider's Jackson streaming reader makes on a server's JSON, one definition for every provider:
 * a field's value is taken when it has the expected type and otherwise skipped whole, so the reading stays in step
 * and a wrong type reads as absent. Counts and durations are kept as the server wrote them (negative, huge, tiny or
 * infinite included) for the recorder to judge. Sample of what they read:
 *
 * <pre>
 * {"prompt_tokens":42,"prompt_ms":0.204,"finish_reason":"stop","code":400,"n_ctx":512,"cached_tokens":"many"}
 * </pre>
 *
 * Each method is called with the value token just read by {@link JsonParser#nextToken()} after a field name.
 *
 * @since 0.2
 */
public final class JsonValues {

    /** Marks a count the object did not carry (or carried as something other than a number). */
    public static final long ABSENT_COUNT = Long.MIN_VALUE;

    // A server's content can be a whole long answer in one string: Jackson's default 20 MB string cap is no bound here
    // (the transport bounds the body).
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private JsonValues() {}

    /** The shared Jackson factory, with no cap on string length (thread-safe); never null. */
    public static JsonFactory factory() {
        return FACTORY;
    }

    /** A string value's text, or null for a value of another type (skipped whole). */
    public static @Nullable String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    /** A string or number as its text (a code written either way), or null for a value of another type. */
    public static @Nullable String scalar(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    /**
     * A server count as written, or {@link #ABSENT_COUNT} for a value that is not a number. An integer beyond a long
     * is held at its bound ({@code Long.MAX_VALUE}, or {@code Long.MIN_VALUE + 1} below); a fraction is truncated and
     * saturates at the bounds, never reading as absent.
     */
    public static long count(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? (p.getBigIntegerValue().signum() < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE)
                    : p.getLongValue();
        }
        if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            // (long) saturates beyond a long; such a count is implausible either way, and never reads as absent.
            return Math.max(Long.MIN_VALUE + 1, (long) p.getDoubleValue());
        }
        p.skipChildren();
        return ABSENT_COUNT;
    }

    /**
     * The sum of two counts as {@link #count} reads them (say {@code prompt_n + cache_n}); a sum that overflows is held
     * at {@code Long.MAX_VALUE} or {@code Long.MIN_VALUE + 1} instead of wrapping around into a plausible number.
     */
    public static long countSum(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE) : sum;
    }

    /** A server duration in the server's unit as written, or {@code NaN} for a value that is not a number. */
    public static double duration(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        p.skipChildren();
        return Double.NaN;
    }

    /** A positive integer that fits an int (a context size, a slot count), else null. */
    public static @Nullable Integer positive(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            long value = p.getLongValue();
            return value > 0 && value <= Integer.MAX_VALUE ? Integer.valueOf((int) value) : null;
        }
        p.skipChildren();
        return null;
    }

    /**
     * The field {@code name} of an object value as {@link #positive} reads it (say {@code meta.n_ctx}); the rest of
     * the object is skipped. {@code current} when the value is not an object or has no such field.
     */
    public static @Nullable Integer positiveIn(JsonParser p, JsonToken v, String name, @Nullable Integer current)
            throws IOException {
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            return current;
        }
        Integer value = current;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String inner = p.currentName();
            JsonToken iv = p.nextToken();
            if (name.equals(inner)) {
                value = positive(p, iv);
            } else {
                p.skipChildren();
            }
        }
        return value;
    }

    /** Throws unless the body's first token opens an object. */
    public static void expectObject(@Nullable JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw new IOException("expected a JSON object");
        }
    }

    /** The token as a message names it ({@code [}, {@code 42}'s kind, or {@code nothing} at the end of input). */
    public static String describe(@Nullable JsonToken t) {
        return t == null ? "nothing" : t.asString() == null ? t.name() : t.asString();
    }

    /** Jackson's reason without its location suffix (the message names the place itself), else the message. */
    public static @Nullable String reason(IOException e) {
        return e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage()
                : e.getMessage();
    }
}
