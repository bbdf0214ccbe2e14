package dev.orket.sidecar.nvidia;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.SidecarReading;
import dev.orket.sidecar.nvidia.internal.CsvGpuStream;
import dev.orket.sidecar.nvidia.internal.LineFramer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Properties of the parser over arbitrary and mutated input. */
class ParserPropertiesTest {

    @Property(tries = 300)
    void parsingNeverThrowsOnArbitraryBytes(@ForAll @Size(max = 400) byte[] input, @ForAll("fieldLists") List<String> fields) {
        SidecarReading r = NvidiaSmiParser.parse(input, fields.isEmpty() ? null : fields);
        assertThat(r).isNotNull();
        assertThat(r.parseErrors()).isSorted().doesNotHaveDuplicates();
    }

    @Property(tries = 200)
    void parsingNeverThrowsOnMutatedCaptures(@ForAll("mutatedCaptures") Mutated m) {
        SidecarReading r = NvidiaSmiParser.parse(m.bytes(), m.fields());
        assertThat(r).isNotNull();
    }

    @Property(tries = 200)
    void sameBytesGiveTheSameReading(@ForAll("mutatedCaptures") Mutated m) {
        SidecarReading first = NvidiaSmiParser.parse(m.bytes().clone(), m.fields());
        SidecarReading second = NvidiaSmiParser.parse(m.bytes().clone(), m.fields());
        assertThat(second).isEqualTo(first);
    }

    @Property(tries = 200)
    void streamingGivesTheSameReadingHoweverTheInputIsCut(@ForAll("mutatedCaptures") Mutated m,
            @ForAll @Size(max = 20) List<Integer> cuts) {
        byte[] bytes = m.bytes();
        if (bytes.length > 0 && bytes[0] == '<') {
            // XML is parsed whole, never streamed.
            return;
        }
        SidecarReading whole = NvidiaSmiParser.parse(bytes, m.fields());
        CsvGpuStream stream = new CsvGpuStream(m.fields(), NvidiaSmiParser.MAX_SAMPLES);
        LineFramer framer = new LineFramer(NvidiaSmiParser.MAX_LINE_BYTES, line -> stream.accept(line, 0L));
        int pos = 0;
        for (int cut : cuts) {
            int len = Math.min(Math.floorMod(cut, 64), bytes.length - pos);
            framer.accept(bytes, pos, len);
            pos += len;
        }
        framer.accept(bytes, pos, bytes.length - pos);
        framer.finish();
        assertThat(stream.finish()).isEqualTo(whole);
    }

    @Property(tries = 100)
    void framerLinesDoNotDependOnChunks(@ForAll @Size(max = 300) byte[] input, @ForAll @Size(max = 30) List<Integer> cuts) {
        List<String> whole = new ArrayList<>();
        LineFramer a = new LineFramer(64, whole::add);
        a.accept(input, 0, input.length);
        a.finish();
        List<String> chunked = new ArrayList<>();
        LineFramer b = new LineFramer(64, chunked::add);
        int pos = 0;
        for (int cut : cuts) {
            int len = Math.min(Math.floorMod(cut, 17), input.length - pos);
            b.accept(input, pos, len);
            pos += len;
        }
        b.accept(input, pos, input.length - pos);
        b.finish();
        assertThat(chunked).isEqualTo(whole);
        assertThat(b.truncated()).isEqualTo(a.truncated());
    }

    @Provide
    Arbitrary<List<String>> fieldLists() {
        return Arbitraries.of(List.of(), Corpus.BASIC_QUERY, Corpus.RECOMMENDED_QUERY, Corpus.MIG_QUERY);
    }

    /** A capture with a few bytes replaced or removed, and the field list of the original. */
    record Mutated(byte[] bytes, List<String> fields) {}

    @Provide
    Arbitrary<Mutated> mutatedCaptures() {
        Arbitrary<Corpus.Capture> captures = Arbitraries.of(Corpus.GPU_CAPTURES);
        Arbitrary<List<Integer>> positions = Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMaxSize(6);
        Arbitrary<String> inserts = Arbitraries.of(",", "\n", "\r\n", "[N/A]", "abc", "", "0x", " MiB", "\uFFFD", "<");
        return Combinators.combine(captures, positions, inserts).as((c, pos, ins) -> {
            String text = new String(c.bytes(), StandardCharsets.UTF_8);
            StringBuilder sb = new StringBuilder(text);
            for (int p : pos) {
                if (sb.length() == 0) {
                    break;
                }
                int at = p % sb.length();
                sb.replace(at, Math.min(sb.length(), at + 3), ins);
            }
            List<String> fields = c.fields() == null ? Corpus.BASIC_QUERY : c.fields();
            return new Mutated(sb.toString().getBytes(StandardCharsets.UTF_8), fields);
        });
    }
}
