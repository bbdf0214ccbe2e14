package dev.orket.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GgufReaderTest {

    static Path resource(String quant) {
        try {
            return Path.of(Objects.requireNonNull(GgufReaderTest.class.getResource(
                    "/gguf/tiny-random-llama-" + quant + ".header.gguf")).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** The header fixture padded with zero tensor data to the size its header describes: a complete file. */
    static byte[] complete(String quant) throws IOException {
        byte[] header = bytes(quant);
        GgufHeader h = GgufReader.read("fixture", new ByteArrayChannel(header));
        return java.util.Arrays.copyOf(header, (int) (h.tensorDataOffset() + h.tensorDataBytes()));
    }

    static byte[] bytes(String quant) throws IOException {
        try (InputStream in = GgufReaderTest.class.getResourceAsStream(
                "/gguf/tiny-random-llama-" + quant + ".header.gguf")) {
            return Objects.requireNonNull(in).readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0}: file_type {1}, {2} tensor data bytes")
    @CsvSource({
        "F32, 0, 8922112", "F16, 1, 4463616", "BF16, 32, 4463616", "Q8_0, 7, 2373696", "Q6_K, 18, 1833800",
        "Q5_K_M, 17, 1607428", "Q5_0, 8, 1572612", "Q4_K_M, 15, 1394372", "Q4_K_S, 14, 1343172", "Q4_0, 2, 1326788",
        "Q3_K_M, 12, 1169024", "Q2_K, 10, 932428", "IQ4_XS, 30, 1265332"
    })
    @DisplayName("every tiny-random-llama quantization reads with its exact metadata")
    void tinyRandomLlama(String quant, long fileType, long tensorDataBytes) {
        GgufHeader h = GgufReader.read(resource(quant));
        assertThat(h.ggufVersion()).isEqualTo(3);
        assertThat(h.architecture()).isEqualTo("llama");
        assertThat(h.name()).isEqualTo("tiny-random-llama");
        assertThat(h.fileType()).isEqualTo(fileType);
        assertThat(h.quantTag()).isEqualTo(quant);
        assertThat(h.parameterCount()).isEqualTo(2_230_528);
        assertThat(h.contextLength()).isEqualTo(512);
        assertThat(h.layerCount()).isEqualTo(2);
        assertThat(h.embeddingLength()).isEqualTo(256);
        assertThat(h.headCount()).isEqualTo(4);
        assertThat(h.headCountKv()).isEqualTo(4);
        assertThat(h.headDimKey()).isEqualTo(64);
        assertThat(h.tensorCount()).isEqualTo(21);
        assertThat(h.metadataCount()).isEqualTo(28);
        assertThat(h.alignment()).isEqualTo(32);
        assertThat(h.tensorDataOffset()).isEqualTo(23_968);
        assertThat(h.tensorDataBytes()).isEqualTo(tensorDataBytes);
    }

    @Test
    @DisplayName("the VRAM estimate is weights + 2 × layers × ctx × kv heads × head dim × 2 bytes + margin")
    void vramEstimate() {
        VramEstimate e = VramEstimator.estimate(GgufReader.read(resource("F16")), 512);
        assertThat(e.weightsBytes()).isEqualTo(4_463_616);
        assertThat(e.kvCacheBytes()).isEqualTo(2L * 2 * 512 * 4 * 64 * 2).isEqualTo(1_048_576);
        assertThat(e.marginBytes()).isEqualTo((512L << 20) + 551_220);
        assertThat(e.totalBytes()).isEqualTo(4_463_616 + 1_048_576 + (512L << 20) + 551_220);
        assertThat(VramEstimator.fits(e, dev.orket.api.VramProfile.SAFE, 2048)).isTrue();
        assertThat(VramEstimator.fits(e, dev.orket.api.VramProfile.SAFE, 1024)).isFalse();
    }

    @Test
    @DisplayName("a huge string length is refused with its offset before any allocation")
    void hugeStringLength() throws IOException {
        byte[] header = bytes("Q4_0");
        // The first metadata key's length sits right after magic, version, tensor and kv counts.
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putLong(24, Long.MAX_VALUE);
        assertThatThrownBy(() -> GgufReader.read("evil.gguf", new ByteArrayChannel(header)))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("offset 24")
                .hasMessageContaining("metadata[0].key.length");
    }

    @Test
    @DisplayName("a huge tensor count is refused naming the field")
    void hugeCount() throws IOException {
        byte[] header = bytes("Q4_0");
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 1L << 40);
        assertThatThrownBy(() -> GgufReader.read("evil.gguf", new ByteArrayChannel(header)))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("tensor_count")
                .hasMessageContaining("offset 8");
    }

    @Test
    @DisplayName("a truncated header and a wrong magic or version are rejected")
    void truncatedAndWrong() throws IOException {
        byte[] header = bytes("Q4_0");
        byte[] cut = java.util.Arrays.copyOf(header, 20_000);
        assertThatThrownBy(() -> GgufReader.read("cut.gguf", new ByteArrayChannel(cut)))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("truncated");
        byte[] v1 = header.clone();
        v1[4] = 1;
        assertThatThrownBy(() -> GgufReader.read("v1.gguf", new ByteArrayChannel(v1)))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("unsupported GGUF version 1");
        assertThatThrownBy(() -> GgufReader.read("empty.gguf", new ByteArrayChannel(new byte[0])))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("magic");
    }

    @Test
    @DisplayName("GGUF v2 headers read too")
    void version2() throws IOException {
        byte[] header = bytes("Q8_0");
        header[4] = 2;
        assertThat(GgufReader.read("v2.gguf", new ByteArrayChannel(header)).ggufVersion()).isEqualTo(2);
    }
}
