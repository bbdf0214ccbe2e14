package dev.orket.provider.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.spi.WireEvent;
import dev.orket.core.stream.RunEvents;
import dev.orket.core.stream.SseFramer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The core's SSE framer plus this decoder: a captured stream split at arbitrary points yields the same canonical events. */
class ResponseMapperProperties {

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.of("v1-completions-stream.body", "v1-completions-stream-usage.body",
                "v1-chat-completions-stream.body", "v1-chat-completions-stream-usage.body",
                "v1-chat-completions-stream-progress.body", "error-generation-invalid-utf8-chat-stream.body");
    }

    static List<WireEvent> map(byte[] stream, List<Integer> cuts) throws Exception {
        List<WireEvent> events = new ArrayList<>();
        RunEvents emitter = new RunEvents(events::add, null);
        ResponseMapper mapper = new ResponseMapper(true, "server", emitter);
        SseFramer framer = new SseFramer(mapper, 1 << 20);
        int[] points = cuts.stream().mapToInt(c -> Math.floorMod(c, stream.length + 1)).sorted().toArray();
        int from = 0;
        for (int point : points) {
            framer.feed(ByteBuffer.wrap(stream, from, point - from));
            from = point;
        }
        framer.feed(ByteBuffer.wrap(stream, from, stream.length - from));
        mapper.endOfBody();
        return events;
    }

    @Property(tries = 200)
    void the_same_events_at_any_split(@ForAll("bodies") String body,
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 1_000_000) Integer> cuts) throws Exception {
        byte[] bytes = resource(body);
        List<WireEvent> whole = map(bytes, List.of());
        assertThat(whole).isNotEmpty();
        assertThat(whole.get(whole.size() - 1)).isInstanceOfAny(WireEvent.Completed.class, WireEvent.Failed.class);
        assertThat(map(bytes, cuts)).isEqualTo(whole);
    }

    static byte[] resource(String name) {
        try (InputStream in = ResponseMapperProperties.class.getClassLoader()
                .getResourceAsStream("fixtures/llamacpp/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
