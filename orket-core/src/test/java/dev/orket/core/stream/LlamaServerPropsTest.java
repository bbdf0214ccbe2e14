package dev.orket.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** llama-server's {@code /props} is read to the fields Orket uses, from where each server version puts them. */
class LlamaServerPropsTest {

    private static LlamaServerProps read(String json) throws IOException {
        return LlamaServerProps.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("a captured b10587 /props gives build, model path, context size, ftype and slots")
    void captured() throws IOException {
        byte[] body;
        try (InputStream in = LlamaServerPropsTest.class.getResourceAsStream("/fixtures/llamacpp/props-Q4_K_M.json")) {
            assertThat(in).as("props-Q4_K_M.json on the test class path").isNotNull();
            body = in.readAllBytes();
        }
        assertThat(LlamaServerProps.read(body)).isEqualTo(new LlamaServerProps("b10587-3f545bec",
                "models/tiny-random-llama-Q4_K_M.gguf", 512, "Q4_K - Medium", 4));
    }

    @Test
    @DisplayName("an older server's top-level n_ctx is read; whichever n_ctx comes last wins")
    void olderContextPlace() throws IOException {
        assertThat(read("{\"n_ctx\":2048,\"build_info\":\"b4000\"}").contextSize()).isEqualTo(2048);
        assertThat(read("{\"default_generation_settings\":{\"n_ctx\":512},\"n_ctx\":1024}").contextSize())
                .isEqualTo(1024);
        assertThat(read("{\"n_ctx\":1024,\"default_generation_settings\":{\"params\":{\"n_ctx\":7},\"n_ctx\":512}}")
                .contextSize()).isEqualTo(512);
    }

    @Test
    @DisplayName("values of another type, zero and negative counts are absent; unknown fields are skipped")
    void absentValues() throws IOException {
        assertThat(read("{\"build_info\":7,\"model_path\":null,\"model_ftype\":[\"Q4\"],\"total_slots\":0,"
                + "\"default_generation_settings\":[512],\"n_ctx\":-1,\"chat_template\":\"{% x %}\"}"))
                .isEqualTo(new LlamaServerProps(null, null, null, null, null));
        assertThat(read("{}")).isEqualTo(new LlamaServerProps(null, null, null, null, null));
    }

    @Test
    @DisplayName("a body that is not one JSON object is an IOException with the reason")
    void notAnObject() {
        assertThatThrownBy(() -> read("[]")).isInstanceOf(IOException.class).hasMessage("expected a JSON object");
        assertThatThrownBy(() -> read("<html>")).isInstanceOf(IOException.class)
                .hasMessageContaining("Unexpected character");
        assertThatThrownBy(() -> read("{\"build_info\":\"b1\"")).isInstanceOf(IOException.class);
    }
}
