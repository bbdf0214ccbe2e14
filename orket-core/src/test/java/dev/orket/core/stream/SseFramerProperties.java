package dev.orket.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The SSE framer yields the same events however the byte stream is split into chunks. */
class SseFramerProperties {

    private static final List<String> BODIES = List.of("completion-stream.body", "completion-stream-sse-ping.body",
            "completion-stream-timings-progress.body", "completion-stop-word-stream.body",
            "v1-chat-completions-stream.body", "v1-chat-completions-stream-usage.body",
            "v1-chat-completions-stream-progress.body", "v1-completions-stream.body",
            "v1-completions-stream-usage.body", "error-generation-invalid-utf8-stream.body",
            "error-generation-invalid-utf8-chat-stream.body");

    static List<String> frame(byte[] stream, List<Integer> cuts, int limit) throws SseFramer.EventTooLargeException {
        List<String> events = new ArrayList<>();
        SseFramer framer = new SseFramer((b, off, len) -> {
            events.add(new String(b, off, len, StandardCharsets.UTF_8));
            return true;
        }, limit);
        int[] points = cuts.stream().mapToInt(c -> Math.floorMod(c, stream.length + 1)).sorted().toArray();
        int from = 0;
        for (int point : points) {
            framer.feed(ByteBuffer.wrap(stream, from, point - from));
            from = point;
        }
        framer.feed(ByteBuffer.wrap(stream, from, stream.length - from));
        return events;
    }

    /** The reference: the events of a body split on blank lines, data values joined by LF. */
    static List<String> reference(byte[] stream) {
        String text = new String(stream, StandardCharsets.UTF_8).replace("\r\n", "\n");
        List<String> events = new ArrayList<>();
        int end = text.lastIndexOf("\n\n");
        if (end < 0) {
            return events;
        }
        for (String block : text.substring(0, end).split("\n\n", -1)) {
            List<String> data = new ArrayList<>();
            for (String line : block.split("\n", -1)) {
                if (line.startsWith("data:")) {
                    data.add(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
                } else if (line.equals("data")) {
                    data.add("");
                }
            }
            if (!data.isEmpty()) {
                events.add(String.join("\n", data));
            }
        }
        return events;
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.of(BODIES);
    }

    @Property(tries = 300)
    void captured_streams_frame_the_same_at_any_split(@ForAll("bodies") String body,
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 1_000_000) Integer> cuts) throws Exception {
        byte[] bytes = resource(body);
        List<String> whole = frame(bytes, List.of(), 1 << 20);
        assertThat(whole).isNotEmpty().isEqualTo(reference(bytes));
        assertThat(frame(bytes, cuts, 1 << 20)).isEqualTo(whole);
    }

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> data = Arbitraries.strings().withChars("abc{}\":é€😀 ,").ofMaxLength(30)
                .map(s -> "data: " + s);
        return Arbitraries.oneOf(data, data, Arbitraries.of(":", ": ping", "event: x", "id: 7", "", "data:x",
                "data", "retry: 10"));
    }

    @Property(tries = 500)
    void generated_streams_frame_the_same_at_any_split(@ForAll @Size(max = 30) List<@From("lines") String> lines,
            @ForAll boolean crlf, @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 100_000) Integer> cuts)
            throws Exception {
        String separator = crlf ? "\r\n" : "\n";
        byte[] bytes = (String.join(separator, lines) + separator + separator).getBytes(StandardCharsets.UTF_8);
        List<String> expected = reference(bytes);
        assertThat(frame(bytes, List.of(), 1 << 16)).isEqualTo(expected);
        assertThat(frame(bytes, cuts, 1 << 16)).isEqualTo(expected);
        // Byte by byte, the worst split.
        List<Integer> everyByte = new ArrayList<>();
        for (int i = 0; i < bytes.length; i++) {
            everyByte.add(i);
        }
        assertThat(frame(bytes, everyByte, 1 << 16)).isEqualTo(expected);
    }

    @Example
    void a_stream_without_the_final_blank_line_has_no_last_event() throws Exception {
        byte[] bytes = "data: 1\n\ndata: 2\n".getBytes(StandardCharsets.UTF_8);
        assertThat(frame(bytes, List.of(3, 12), 100)).containsExactly("1");
    }

    @Example
    void a_line_over_the_limit_fails_without_growing_past_it() {
        byte[] big = new byte[5000];
        Arrays.fill(big, (byte) 'x');
        byte[] stream = ("data: " + new String(big, StandardCharsets.US_ASCII) + "\n\n").getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> frame(stream, List.of(100, 2000, 4000), 1024))
                .isInstanceOf(SseFramer.EventTooLargeException.class).hasMessageContaining("1024");
        // Without any line break at all.
        assertThatThrownBy(() -> frame(big, List.of(), 1024)).isInstanceOf(SseFramer.EventTooLargeException.class);
    }

    @Example
    void an_event_of_many_data_lines_over_the_limit_fails() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            text.append("data: 0123456789\n");
        }
        text.append('\n');
        byte[] stream = text.toString().getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> frame(stream, List.of(), 500)).isInstanceOf(SseFramer.EventTooLargeException.class);
    }

    @Example
    void the_listener_stops_framing() throws Exception {
        List<String> seen = new ArrayList<>();
        SseFramer framer = new SseFramer((b, off, len) -> {
            seen.add(new String(b, off, len, StandardCharsets.UTF_8));
            return false;
        }, 100);
        framer.feed("data: a\n\ndata: b\n\n".getBytes(StandardCharsets.UTF_8), 0, 18);
        assertThat(seen).containsExactly("a");
        assertThat(framer.stopped()).isTrue();
    }

    static byte[] resource(String name) {
        try (InputStream in = SseFramerProperties.class.getClassLoader()
                .getResourceAsStream("fixtures/llamacpp/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Example
    void theEndMarkerIsExactlyDoneWhereverItLies() {
        byte[] data = "x[DONE][DONE] [done][DON".getBytes(StandardCharsets.US_ASCII);
        assertThat(SseFramer.isDone(data, 1, 6)).isTrue();
        assertThat(SseFramer.isDone(data, 7, 6)).isTrue();
        assertThat(SseFramer.isDone(data, 7, 7)).as("a trailing space").isFalse();
        assertThat(SseFramer.isDone(data, 14, 6)).as("lower case").isFalse();
        assertThat(SseFramer.isDone(data, 20, 4)).as("cut short").isFalse();
        assertThat(SseFramer.isDone(data, 0, 6)).isFalse();
    }
}
