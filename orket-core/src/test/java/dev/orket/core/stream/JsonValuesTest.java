package dev.orket.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Values are read as the server wrote them, a wrong type reads as absent, and the reading stays in step. */
class JsonValuesTest {

    /** Reads every field of one object with {@code read}, by name, in order. */
    private static Map<String, Object> fields(String json, ValueRead read) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        try (JsonParser p = JsonValues.factory().createParser(json)) {
            JsonValues.expectObject(p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                values.put(name, String.valueOf(read.read(p, p.nextToken())));
            }
            assertThat(p.nextToken()).as("read to the end of the object").isNull();
        }
        return values;
    }

    private interface ValueRead {
        Object read(JsonParser p, JsonToken v) throws IOException;
    }

    @Test
    @DisplayName("text takes strings only; scalar takes strings and numbers as written; containers are skipped whole")
    void textAndScalar() throws IOException {
        String json = "{\"s\":\"a\\u00e9\",\"n\":400,\"f\":1.50,\"o\":{\"x\":[1,{\"y\":2}]},\"a\":[\"z\"],\"b\":true,"
                + "\"z\":null}";
        assertThat(fields(json, JsonValues::text)).containsExactly(Map.entry("s", "a\u00e9"), Map.entry("n", "null"),
                Map.entry("f", "null"), Map.entry("o", "null"), Map.entry("a", "null"), Map.entry("b", "null"),
                Map.entry("z", "null"));
        assertThat(fields(json, JsonValues::scalar)).containsExactly(Map.entry("s", "a\u00e9"), Map.entry("n", "400"),
                Map.entry("f", "1.50"), Map.entry("o", "null"), Map.entry("a", "null"), Map.entry("b", "null"),
                Map.entry("z", "null"));
    }

    @Test
    @DisplayName("counts are kept as written: negative, beyond a long at its bound, fractions truncated, never absent")
    void counts() throws IOException {
        assertThat(fields("{\"a\":-3,\"b\":99999999999999999999999,\"c\":-99999999999999999999999,\"d\":2.9,"
                + "\"e\":-1e300,\"f\":1e300,\"g\":\"7\",\"h\":[1],\"i\":null}", JsonValues::count))
                .containsExactly(Map.entry("a", "-3"), Map.entry("b", String.valueOf(Long.MAX_VALUE)),
                        Map.entry("c", String.valueOf(Long.MIN_VALUE + 1)), Map.entry("d", "2"),
                        Map.entry("e", String.valueOf(Long.MIN_VALUE + 1)), Map.entry("f", String.valueOf(Long.MAX_VALUE)),
                        Map.entry("g", String.valueOf(JsonValues.ABSENT_COUNT)),
                        Map.entry("h", String.valueOf(JsonValues.ABSENT_COUNT)),
                        Map.entry("i", String.valueOf(JsonValues.ABSENT_COUNT)));
    }

    @Test
    @DisplayName("a sum of counts that overflows is held at a count's bounds, never wrapping around")
    void countSums() {
        assertThat(JsonValues.countSum(1, 41)).isEqualTo(42);
        assertThat(JsonValues.countSum(-5, 3)).isEqualTo(-2);
        assertThat(JsonValues.countSum(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(JsonValues.countSum(Long.MIN_VALUE + 1, Long.MIN_VALUE + 1)).isEqualTo(Long.MIN_VALUE + 1);
    }

    @Test
    @DisplayName("a response's content type as messages name it")
    void contentTypeForMessages() {
        assertThat(new ResponseHead(200, "", "POST /v1/chat/completions").describedContentType())
                .isEqualTo("no content type");
        assertThat(new ResponseHead(200, "text/html; charset=utf-8", "GET /props").describedContentType())
                .isEqualTo("text/html; charset=utf-8");
    }

    @Test
    @DisplayName("durations are kept as written (tiny, huge, negative); what is not a number is NaN")
    void durations() throws IOException {
        assertThat(fields("{\"a\":1e-320,\"b\":1.7e308,\"c\":-2,\"d\":\"fast\",\"e\":{\"ms\":1}}", JsonValues::duration))
                .containsExactly(Map.entry("a", String.valueOf(1e-320)), Map.entry("b", String.valueOf(1.7e308)),
                        Map.entry("c", "-2.0"), Map.entry("d", "NaN"), Map.entry("e", "NaN"));
    }

    @Test
    @DisplayName("positive reads an int above zero; zero, negatives, beyond an int, fractions and strings are null")
    void positive() throws IOException {
        assertThat(fields("{\"a\":512,\"b\":0,\"c\":-1,\"d\":2147483648,\"e\":2147483647,\"f\":1.5,\"g\":\"512\"}",
                JsonValues::positive)).containsExactly(Map.entry("a", "512"), Map.entry("b", "null"),
                        Map.entry("c", "null"), Map.entry("d", "null"), Map.entry("e", "2147483647"),
                        Map.entry("f", "null"), Map.entry("g", "null"));
    }

    @Test
    @DisplayName("a positive field of a nested object replaces the current value; no object or no field keeps it")
    void positiveIn() throws IOException {
        assertThat(fields("{\"a\":{\"x\":1,\"n_ctx\":512,\"y\":[2]},\"b\":{\"n_ctx\":\"512\"},\"c\":{\"m\":3},"
                + "\"d\":[{\"n_ctx\":9}],\"e\":null}", (p, v) -> JsonValues.positiveIn(p, v, "n_ctx", 7)))
                .containsExactly(Map.entry("a", "512"), Map.entry("b", "null"), Map.entry("c", "7"),
                        Map.entry("d", "7"), Map.entry("e", "7"));
    }

    @Test
    @DisplayName("a body that is not an object, a token's name in messages, and Jackson's reason without location")
    void messages() throws IOException {
        try (JsonParser p = JsonValues.factory().createParser("[1]")) {
            JsonToken first = p.nextToken();
            assertThatThrownBy(() -> JsonValues.expectObject(first)).isInstanceOf(IOException.class)
                    .hasMessage("expected a JSON object");
            assertThat(JsonValues.describe(first)).isEqualTo("[");
            assertThat(JsonValues.describe(p.nextToken())).isEqualTo("VALUE_NUMBER_INT");
        }
        assertThat(JsonValues.describe(null)).isEqualTo("nothing");
        String reason = null;
        try {
            fields("{\"a\":tru}", JsonValues::text);
        } catch (IOException e) {
            reason = JsonValues.reason(e);
        }
        assertThat(reason).startsWith("Unrecognized token 'tru'").doesNotContain("line: 1");
        assertThat(JsonValues.reason(new IOException("closed"))).isEqualTo("closed");
    }

    @Test
    @DisplayName("a string longer than Jackson's default cap is read whole")
    void longStrings() throws IOException {
        String big = "x".repeat(21_000_000);
        assertThat(fields("{\"s\":\"" + big + "\"}", (p, v) -> String.valueOf(JsonValues.text(p, v)).length()))
                .containsExactly(Map.entry("s", "21000000"));
    }
}
