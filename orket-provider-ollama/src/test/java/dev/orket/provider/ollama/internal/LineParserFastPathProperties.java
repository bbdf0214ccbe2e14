package dev.orket.provider.ollama.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The scan's fast path reads every line it accepts to exactly the fields Jackson reads; the rest goes to Jackson. */
class LineParserFastPathProperties {

    private static String fields(ParsedLine line) throws IllegalAccessException {
        TreeMap<String, Object> values = new TreeMap<>();
        for (Field field : ParsedLine.class.getDeclaredFields()) {
            field.setAccessible(true);
            values.put(field.getName(), field.get(line));
        }
        return values.toString();
    }

    private static boolean same(byte[] line) throws Exception {
        ParsedLine fast = new ParsedLine();
        boolean tookIt = new LineParser().readFast(line, 0, line.length, fast);
        if (tookIt) {
            ParsedLine jackson = new ParsedLine();
            assertThat(new LineParser().parseWithJackson(line, 0, line.length, jackson)).isTrue();
            assertThat(fields(fast)).as(new String(line, StandardCharsets.UTF_8)).isEqualTo(fields(jackson));
        }
        return tookIt;
    }

    @Example
    void everyCapturedLineReadsTheSameAndTokenLinesTakeTheFastPath() throws Exception {
        int fast = 0;
        for (String name : List.of("generate-stream.body", "chat-stream.body")) {
            byte[] body;
            try (InputStream in = LineParserFastPathProperties.class.getResourceAsStream("/fixtures/ollama/" + name)) {
                body = in.readAllBytes();
            }
            for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && same(line.getBytes(StandardCharsets.UTF_8))) {
                    fast++;
                }
            }
        }
        assertThat(fast).as("token lines read by the fast path").isGreaterThan(20);
    }

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> text = Arbitraries.strings().withChars("ab \"\\\n\u00e9\u20ac\ud83d\ude00/").ofMaxLength(8)
                .map(t -> "\"" + t.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"");
        Arbitrary<String> anyValue = Arbitraries.oneOf(text, Arbitraries.of("true", "false", "null", "[1]", "{\"a\":1}",
                "7", "2.5"));
        Arbitrary<String> field = Arbitraries.oneOf(
                text.map(v -> "\"model\":" + v), text.map(v -> "\"created_at\":" + v),
                anyValue.map(v -> "\"response\":" + v), anyValue.map(v -> "\"thinking\":" + v),
                Arbitraries.of("true", "false").map(v -> "\"done\":" + v), anyValue.map(v -> "\"done_reason\":" + v),
                anyValue.map(v -> "\"message\":{\"role\":\"assistant\",\"content\":" + v + "}"),
                Arbitraries.of("\"eval_count\":3", "\"error\":\"x\"", "\"message\":7"));
        return field.list().ofMaxSize(6).map(fields -> "{" + String.join(",", fields) + "}");
    }

    @Property(tries = 1000)
    void generatedLinesReadTheSame(@ForAll("lines") String line) throws Exception {
        same(line.getBytes(StandardCharsets.UTF_8));
    }
}
