package dev.orket.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ServerIdentityTest {

    @Test
    @DisplayName("the served quant is verified against the configured one without regard to case, null when unknown")
    void verification() {
        ServerIdentity q4 = new ServerIdentity(null, null, "Q4_K_M", null, null, null, null);
        assertThat(q4.quantTagVerified("q4_k_m")).isTrue();
        assertThat(q4.quantTagVerified("Q8_0")).isFalse();
        assertThat(q4.quantTagVerified(null)).isNull();
        assertThat(ServerIdentity.unknown().quantTagVerified("Q4_K_M")).isNull();
        assertThat(ServerIdentity.unknown().isUnknown()).isTrue();
        assertThat(q4.isUnknown()).isFalse();
    }

    @Test
    @DisplayName("a model file is a base name: paths are cut to it, and a path is refused as a model file")
    void baseNames() {
        assertThat(ServerIdentity.baseName("/home/me/models/m-Q4_K_M.gguf")).isEqualTo("m-Q4_K_M.gguf");
        assertThat(ServerIdentity.baseName("C:\\models\\m.gguf")).isEqualTo("m.gguf");
        assertThat(ServerIdentity.baseName("m.gguf")).isEqualTo("m.gguf");
        assertThat(ServerIdentity.baseName("models/")).isNull();
        assertThat(ServerIdentity.baseName(null)).isNull();
        assertThatThrownBy(() -> new ServerIdentity(null, "/home/me/m.gguf", null, null, null, null, null))
                .hasMessageContaining("base name");
        assertThatThrownBy(() -> new ServerIdentity(null, null, null, 0, null, null, null))
                .hasMessageContaining("contextSize");
    }
}
