package dev.orket.provider.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.core.stream.JsonScan;
import dev.orket.core.stream.SseFramer;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The scan's fast path reads every event it accepts to exactly the fields Jackson reads; the rest goes to Jackson. */
class EventReaderFastPathProperties {

    private static String fields(ParsedEvent event) throws IllegalAccessException {
        TreeMap<String, Object> values = new TreeMap<>();
        for (Field field : ParsedEvent.class.getFields()) {
            values.put(field.getName(), field.get(event));
        }
        return values.toString();
    }

    /** Reads the event both ways; returns whether the fast path took it, after checking it read the same. */
    private static boolean same(byte[] event) throws Exception {
        ParsedEvent fast = new ParsedEvent();
        boolean tookIt = EventReader.readFast(new JsonScan(), event, 0, event.length, fast);
        if (tookIt) {
            ParsedEvent jackson = new ParsedEvent();
            EventReader.read(event, 0, event.length, jackson);
            assertThat(fields(fast)).as(new String(event, StandardCharsets.UTF_8)).isEqualTo(fields(jackson));
        }
        return tookIt;
    }

    @Example
    void everyCapturedEventReadsTheSameAndTokenEventsTakeTheFastPath() throws Exception {
        int fast = 0;
        for (String body : List.of("completion-stream.body", "completion-stream-sse-ping.body",
                "completion-stream-timings-progress.body", "completion-stop-word-stream.body",
                "v1-chat-completions-stream.body", "v1-chat-completions-stream-usage.body",
                "v1-chat-completions-stream-progress.body")) {
            byte[] bytes = ResponseMapperProperties.resource(body);
            List<byte[]> events = new ArrayList<>();
            SseFramer framer = new SseFramer((b, off, len) -> events.add(java.util.Arrays.copyOfRange(b, off, off + len))
                    || true, 1 << 20);
            framer.feed(bytes, 0, bytes.length);
            for (byte[] event : events) {
                if (new String(event, StandardCharsets.UTF_8).equals("[DONE]")) {
                    continue;
                }
                if (same(event)) {
                    fast++;
                }
            }
        }
        assertThat(fast).as("token events read by the fast path").isGreaterThan(50);
    }

    @Provide
    Arbitrary<String> events() {
        Arbitrary<String> text = Arbitraries.strings().withChars("ab \"\\\n\u00e9\u20ac\ud83d\ude00/").ofMaxLength(8)
                .map(EventReaderFastPathProperties::quote);
        Arbitrary<String> number = Arbitraries.longs().between(-5, 3_000_000_000L).map(String::valueOf);
        Arbitrary<String> anyValue = Arbitraries.oneOf(text, number, Arbitraries.of("true", "false", "null", "[]",
                "[1,2]", "{\"a\":1}", "1.5"));
        Arbitrary<String> field = Arbitraries.oneOf(
                text.map(v -> "\"content\":" + v),
                Arbitraries.integers().between(0, 3).map(n -> "\"tokens\":" + Collections.nCopies(n, "7")),
                anyValue.map(v -> "\"stop\":" + v),
                anyValue.map(v -> "\"truncated\":" + v),
                anyValue.map(v -> "\"stop_type\":" + v),
                anyValue.map(v -> "\"tokens_predicted\":" + v),
                anyValue.map(v -> "\"tokens_evaluated\":" + v),
                anyValue.map(v -> "\"index\":" + v),
                Combinators.combine(anyValue, text).as((f, c) -> "\"choices\":[{\"finish_reason\":" + f
                        + ",\"index\":0,\"delta\":{\"content\":" + c + "}}]"),
                Arbitraries.of("\"timings\":{\"prompt_n\":1}", "\"error\":{\"message\":\"x\"}", "\"choices\":[]"));
        return field.list().ofMaxSize(7).map(fields -> "{" + String.join(",", fields) + "}");
    }

    @Property(tries = 1000)
    void generatedEventsReadTheSame(@ForAll("events") String event) throws Exception {
        same(event.getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
