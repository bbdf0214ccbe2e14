package dev.orket.sidecar.nvidia;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Parsing a capture as a stream")
class StreamingParseTest {

    /** A stream of {@code lines} generated lines, never held whole. */
    private static InputStream lines(long lines, LongFunction<String> line) {
        return new InputStream() {
            private long next;
            private byte[] current = new byte[0];
            private int position;

            @Override
            public int read() {
                if (position == current.length) {
                    if (next == lines) {
                        return -1;
                    }
                    current = (line.apply(next++) + "\n").getBytes(StandardCharsets.UTF_8);
                    position = 0;
                }
                return current[position++] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = 0;
                while (n < len) {
                    int c = read();
                    if (c < 0) {
                        return n == 0 ? -1 : n;
                    }
                    b[off + n++] = (byte) c;
                }
                return n;
            }
        };
    }

    @Test
    @DisplayName("a capture longer than the sample cap keeps the first samples and says it was truncated")
    void samplesCapped() throws IOException {
        SidecarReading r = NvidiaSmiParser.parse(lines(NvidiaSmiParser.MAX_SAMPLES + 5_000L,
                i -> "0, GPU-a, X, 100, " + (i % 100)), Corpus.BASIC_QUERY);

        assertThat(r.samples()).hasSize(NvidiaSmiParser.MAX_SAMPLES);
        assertThat(r.parseErrors()).containsExactly("sidecar_output_truncated");
        assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.OPTIONAL_FIELD_MISSING);
    }

    @Test
    @DisplayName("a new bad value on every line keeps a bounded error list, and the worst severity still decides")
    void errorCodesCapped() throws IOException {
        SidecarReading r = NvidiaSmiParser.parse(lines(5_000, i -> "0, GPU-a, X, 100, 10, bad" + i),
                java.util.List.of("index", "uuid", "name", "memory.total", "memory.used", "temperature.gpu"));

        assertThat(r.samples()).hasSize(5_000);
        assertThat(r.parseErrors()).hasSize(257).contains("sidecar_parse_errors_truncated");
        assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.OPTIONAL_FIELD_MISSING);
    }

    @Test
    @DisplayName("the stream and the byte array give the same reading, and white space before XML is skipped")
    void sameAsBytes() throws IOException {
        String xml = " \n\n<nvidia_smi_log><gpu><product_name>X</product_name><uuid>GPU-a</uuid><fb_memory_usage>"
                + "<total>1 MiB</total><used>1 MiB</used></fb_memory_usage></gpu></nvidia_smi_log>";
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);

        assertThat(NvidiaSmiParser.parse(new ByteArrayInputStream(bytes), null))
                .isEqualTo(NvidiaSmiParser.parse(bytes, null));
        assertThat(NvidiaSmiParser.parse(bytes, null).samples()).hasSize(1);
    }

    @Test
    @DisplayName("an XML document over the cap is refused without being held whole")
    void xmlTooLarge() throws IOException {
        InputStream huge = new java.io.SequenceInputStream(
                new ByteArrayInputStream("<nvidia_smi_log>".getBytes(StandardCharsets.UTF_8)),
                lines(1_000_000, i -> "<gpu><product_name>X</product_name></gpu>"));

        SidecarReading r = NvidiaSmiParser.parse(huge, null);

        assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.PARSE_ERROR);
        assertThat(r.parseErrors()).containsExactly("invalid_format:xml_too_large");
    }
}
