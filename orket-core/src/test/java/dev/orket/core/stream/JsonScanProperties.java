package dev.orket.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** What the fast JSON cursor accepts is valid JSON and reads as Jackson reads it; what it cannot read, it refuses. */
class JsonScanProperties {

    private static final JsonFactory JACKSON = new JsonFactory();

    /** A top-level object's scalar fields as Jackson reads them: strings as text, integers as longs, others as tokens. */
    private static Map<String, Object> jackson(byte[] json) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        try (JsonParser p = JACKSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_STRING) {
                    fields.put(name, p.getText());
                } else if (value == JsonToken.VALUE_NUMBER_INT) {
                    fields.put(name, p.getLongValue());
                } else {
                    fields.put(name, value.name());
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new IOException("trailing content");
            }
        }
        return fields;
    }

    /** The same fields read by the cursor, or null when it refuses the bytes. */
    private static Map<String, Object> scan(byte[] json) {
        JsonScan scan = new JsonScan();
        Map<String, Object> fields = new LinkedHashMap<>();
        if (!scan.begin(json, 0, json.length)) {
            return null;
        }
        while (scan.nextField()) {
            String name = scan.name();
            byte first = scan.peek();
            if (first == '"') {
                if (!scan.stringValue()) {
                    return null;
                }
                fields.put(name, scan.text());
            } else if (first == '-' || (first >= '0' && first <= '9')) {
                if (!scan.longValue()) {
                    return null;
                }
                fields.put(name, scan.number());
            } else {
                String token = first == '{' ? "START_OBJECT" : first == '[' ? "START_ARRAY" : first == 't' ? "VALUE_TRUE"
                        : first == 'f' ? "VALUE_FALSE" : "VALUE_NULL";
                if (!scan.skipValue()) {
                    return null;
                }
                fields.put(name, token);
            }
        }
        return scan.fieldsEnded() && scan.atEnd() ? fields : null;
    }

    /** Every field as a string or null, as {@link JsonValues#text} reads it with Jackson. */
    private static Map<String, String> jacksonStringsOrNull(byte[] json) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        try (JsonParser p = JsonValues.factory().createParser(json)) {
            JsonValues.expectObject(p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                fields.put(name, String.valueOf(JsonValues.text(p, p.nextToken())));
            }
        }
        return fields;
    }

    /** The same with {@link JsonScan#stringOrSkip()}, or null when the cursor refuses the bytes. */
    private static Map<String, String> scanStringsOrNull(byte[] json) {
        JsonScan scan = new JsonScan();
        Map<String, String> fields = new LinkedHashMap<>();
        if (!scan.begin(json, 0, json.length)) {
            return null;
        }
        while (scan.nextField()) {
            String name = scan.name();
            if (!scan.stringOrSkip()) {
                return null;
            }
            fields.put(name, String.valueOf(scan.stringOrNull()));
        }
        return scan.fieldsEnded() && scan.atEnd() ? fields : null;
    }

    private static final List<String> NAMES = List.of("content", "tokens", "stop", "model", "created_at", "n", "x_y");

    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.strings().withChars("ab \"\\/\n\t\u00e9\u20ac\ud83d\ude00\u0001<>{}[]:,").ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> string = strings().map(JsonScanProperties::quote);
        Arbitrary<String> number = Arbitraries.longs().between(-1_000_000_000L, 1_000_000_000L).map(String::valueOf);
        Arbitrary<String> literal = Arbitraries.of("true", "false", "null");
        Arbitrary<String> array = Arbitraries.lazy(() -> Arbitraries.oneOf(string, number, literal).list().ofMaxSize(3)
                .map(items -> "[" + String.join(",", items) + "]"));
        Arbitrary<String> object = Combinators.combine(Arbitraries.of(NAMES), Arbitraries.oneOf(string, number, literal))
                .as((k, v) -> "{" + quote(k) + ":" + v + "}");
        return Arbitraries.oneOf(string, string, number, literal, array, object);
    }

    @Provide
    Arbitrary<String> objects() {
        Arbitrary<String> field = Combinators.combine(Arbitraries.of(NAMES), values()).as((k, v) -> quote(k) + ":" + v);
        return Combinators.combine(field.list().ofMaxSize(6), Arbitraries.of("", " ", "\n"))
                .as((fields, space) -> "{" + space + String.join("," + space, fields) + space + "}");
    }

    @Property(tries = 1000)
    void whatItAcceptsJacksonReadsTheSame(@ForAll("objects") String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Map<String, Object> scanned = scan(bytes);
        Map<String, Object> parsed = jackson(bytes);
        if (!json.contains("\\u")) {
            assertThat(scanned).as("plain JSON without a Unicode escape is read by the cursor: " + json).isNotNull();
        }
        if (scanned != null) {
            assertThat(scanned).isEqualTo(parsed);
        }
    }

    @Property(tries = 1000)
    void aDamagedObjectItAcceptsIsStillValidJson(@ForAll("objects") String json,
            @ForAll @IntRange(min = 0, max = 400) int at, @ForAll @IntRange(min = 0, max = 255) int value,
            @ForAll boolean cut) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int position = at % Math.max(1, bytes.length);
        byte[] damaged = cut ? java.util.Arrays.copyOf(bytes, position) : bytes.clone();
        if (!cut && damaged.length > 0) {
            damaged[position] = (byte) value;
        }
        Map<String, Object> scanned = scan(damaged);
        if (scanned != null) {
            Map<String, Object> parsed;
            try {
                parsed = jackson(damaged);
            } catch (IOException e) {
                throw new AssertionError("the cursor accepted what Jackson refuses: "
                        + new String(damaged, StandardCharsets.UTF_8) + " (" + e.getMessage() + ")", e);
            }
            assertThat(scanned).isEqualTo(parsed);
        }
    }

    @Property(tries = 500)
    void aStringOrSkipReadsAsJacksonReadsAStringOrNull(@ForAll("objects") String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Map<String, String> scanned = scanStringsOrNull(bytes);
        if (scanned != null) {
            assertThat(scanned).as(json).isEqualTo(jacksonStringsOrNull(bytes));
        }
    }

    @Example
    void stringOrSkipReadsStringsSkipsTheRestAndRefusesWhatItCannotRead() {
        assertThat(scanStringsOrNull("{\"a\":\"x\\\"y\",\"b\":7,\"c\":{\"d\":\"e\"},\"f\":null,\"g\":\"\"}"
                .getBytes(StandardCharsets.UTF_8))).containsExactly(Map.entry("a", "x\"y"), Map.entry("b", "null"),
                        Map.entry("c", "null"), Map.entry("f", "null"), Map.entry("g", ""));
        assertThat(scanStringsOrNull("{\"a\":\"\\u00e9\"}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(scanStringsOrNull("{\"a\":1.5}".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Example
    void namesAreMatchedExactlyAmongSeveral() {
        byte[][] names = {JsonScan.name("usage"), JsonScan.name("timings")};
        JsonScan scan = new JsonScan();
        byte[] json = "{\"timings\":1,\"usage_x\":2,\"use\":3}".getBytes(StandardCharsets.UTF_8);
        assertThat(scan.begin(json, 0, json.length)).isTrue();
        List<Boolean> matches = new ArrayList<>();
        while (scan.nextField()) {
            matches.add(scan.nameIsAnyOf(names));
            assertThat(scan.skipValue()).isTrue();
        }
        assertThat(matches).containsExactly(true, false, false);
    }

    @Example
    void refusesWhatItDoesNotRead() {
        for (String json : List.of("{\"n\":1.5}", "{\"n\":1e3}", "{\"n\":01}", "{\"content\":\"\\u00e9\"}",
                "{\"n\":1} x", "{\"n\":tru}", "{\"n\":\"a\u0001\"}", "{\"n\":1,}", "[1]", "{\"n\" 1}",
                "{\"n\":12345678901234567890}")) {
            assertThat(scan(json.getBytes(StandardCharsets.UTF_8))).as(json).isNull();
        }
        byte[] overlong = {'{', '"', 'n', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        assertThat(scan(overlong)).isNull();
        byte[] surrogate = {'{', '"', 'n', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        assertThat(scan(surrogate)).isNull();
    }

    @Example
    void readsATokenEvent() {
        byte[] event = ("{\"index\":0,\"content\":\"caf\u00e9 \\\"x\\\"\\n\",\"tokens\":[523,12],\"stop\":false,"
                + "\"id_slot\":-1}").getBytes(StandardCharsets.UTF_8);
        JsonScan scan = new JsonScan();
        assertThat(scan.begin(event, 0, event.length)).isTrue();
        List<String> seen = new ArrayList<>();
        while (scan.nextField()) {
            if (scan.nameIs("content".getBytes(StandardCharsets.US_ASCII))) {
                assertThat(scan.stringValue()).isTrue();
                seen.add(scan.text());
            } else if (scan.nameIs("tokens".getBytes(StandardCharsets.US_ASCII))) {
                seen.add(String.valueOf(scan.arrayLength()));
            } else {
                assertThat(scan.skipValue()).isTrue();
            }
        }
        assertThat(scan.fieldsEnded()).isTrue();
        assertThat(seen).containsExactly("caf\u00e9 \"x\"\n", "2");
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\u0001':
                    out.append("\\u0001");
                    break;
                default:
                    out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
