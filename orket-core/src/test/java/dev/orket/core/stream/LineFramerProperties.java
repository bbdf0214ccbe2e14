package dev.orket.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class LineFramerProperties {

    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> line = Arbitraries.strings().withChars("{}\":,ab \u00e9\u043a\u2028\t\r").ofMaxLength(40)
                .map(s -> s.replace("\r", ""));
        return line.list().ofMaxSize(12);
    }

    @Property
    void everyChunkSplitYieldsTheSameLines(@ForAll("lines") List<String> lines, @ForAll boolean crlf,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 400) Integer> cuts) {
        byte[] stream = join(lines, crlf ? "\r\n" : "\n");
        assertThat(frame(stream, cutsOf(cuts, stream.length), 1 << 20)).containsExactlyElementsOf(lines);
    }

    @Example
    void everySplitOfTheFixtureStreams() {
        for (String name : List.of("generate-stream.body", "chat-stream.body", "generate-stream-error-midstream.body")) {
            byte[] body = resource("/fixtures/ollama/" + name);
            List<String> expected = frame(body, new int[0], 1 << 20);
            assertThat(expected).hasSizeGreaterThan(3);
            for (int split = 0; split <= body.length; split++) {
                assertThat(frame(body, new int[] {split}, 1 << 20)).as("split at %d", split).isEqualTo(expected);
            }
            for (int size = 1; size <= 64; size++) {
                assertThat(frame(body, everyN(body.length, size), 1 << 20)).as("chunks of %d", size)
                        .isEqualTo(expected);
            }
        }
    }

    @Property
    void linesOverTheBoundAreRefusedWhateverTheSplit(@ForAll @IntRange(min = 1, max = 64) int bound,
            @ForAll @IntRange(min = 1, max = 200) int extra, @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 300) Integer> cuts) {
        byte[] line = new byte[bound + extra];
        Arrays.fill(line, (byte) 'x');
        byte[] stream = concat(line, new byte[] {'\n'});
        LineFramer framer = new LineFramer(bound);
        LineFramer.Status status = LineFramer.Status.MORE;
        int previous = 0;
        for (int cut : cutsOf(cuts, stream.length)) {
            status = framer.feed(stream, previous, cut - previous, (b, o, l) -> true);
            previous = cut;
            if (status != LineFramer.Status.MORE) {
                break;
            }
        }
        if (status == LineFramer.Status.MORE) {
            status = framer.feed(stream, previous, stream.length - previous, (b, o, l) -> true);
        }
        assertThat(status).isEqualTo(LineFramer.Status.LINE_TOO_LONG);
        assertThat(framer.pending()).isLessThanOrEqualTo(bound + 1);
    }

    @Example
    void aLineExactlyAtTheBoundWithCrlfIsAccepted() {
        byte[] stream = "abcd\r\n".getBytes(StandardCharsets.US_ASCII);
        List<String> seen = new ArrayList<>();
        LineFramer framer = new LineFramer(4);
        for (int i = 0; i < stream.length; i++) {
            assertThat(framer.feed(stream, i, 1, collect(seen))).isEqualTo(LineFramer.Status.MORE);
        }
        assertThat(seen).containsExactly("abcd");
    }

    private static List<String> frame(byte[] stream, int[] cuts, int bound) {
        List<String> seen = new ArrayList<>();
        LineFramer framer = new LineFramer(bound);
        int previous = 0;
        for (int cut : cuts) {
            assertThat(framer.feed(stream, previous, cut - previous, collect(seen))).isEqualTo(LineFramer.Status.MORE);
            previous = cut;
        }
        assertThat(framer.feed(stream, previous, stream.length - previous, collect(seen)))
                .isEqualTo(LineFramer.Status.MORE);
        framer.finish(collect(seen));
        return seen;
    }

    private static FrameSink collect(List<String> into) {
        return (bytes, offset, length) -> {
            into.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
            return true;
        };
    }

    private static int[] cutsOf(List<Integer> cuts, int length) {
        return cuts.stream().mapToInt(c -> Math.min(c, length)).sorted().toArray();
    }

    private static int[] everyN(int length, int size) {
        int[] cuts = new int[(length - 1) / size];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = (i + 1) * size;
        }
        return cuts;
    }

    private static byte[] join(List<String> lines, String terminator) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : lines) {
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(terminator.getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] resource(String path) {
        try (InputStream in = LineFramerProperties.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
