package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantTagsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {"all F32|F32", "F16|F16", "BF16|BF16", "Q8_0|Q8_0", "Q6_K|Q6_K",
            "Q5_K - Medium|Q5_K_M", "Q5_K - Small|Q5_K_S", "Q5_0|Q5_0", "Q5_1|Q5_1", "Q4_K - Medium|Q4_K_M",
            "Q4_K - Small|Q4_K_S", "Q4_0|Q4_0", "Q4_1|Q4_1", "Q3_K - Large|Q3_K_L", "Q3_K - Medium|Q3_K_M",
            "Q3_K - Small|Q3_K_S", "Q2_K - Medium|Q2_K", "Q2_K - Small|Q2_K_S", "IQ4_XS - 4.25 bpw|IQ4_XS",
            "IQ4_NL - 4.5 bpw|IQ4_NL", "IQ3_S - 3.4375 bpw|IQ3_S", "IQ3_S mix - 3.66 bpw|IQ3_M",
            "IQ2_XXS - 2.0625 bpw|IQ2_XXS", "IQ1_M - 1.75 bpw|IQ1_M", "TQ1_0 - 1.69 bpw ternary|TQ1_0",
            "MXFP4 MoE|MXFP4_MOE", "(guessed) Q4_K - Medium|Q4_K_M", "q4_k - medium|Q4_K_M"})
    @DisplayName("server ftype names map to quant tags")
    void ftype(String ftype, String tag) {
        assertThat(QuantTags.fromServerFtype(ftype)).isEqualTo(tag);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"tiny-random-llama-F32.gguf,F32", "tiny-random-llama-F16.gguf,F16", "tiny-random-llama-BF16.gguf,BF16",
            "tiny-random-llama-Q8_0.gguf,Q8_0", "tiny-random-llama-Q6_K.gguf,Q6_K",
            "tiny-random-llama-Q5_K_M.gguf,Q5_K_M", "tiny-random-llama-Q5_0.gguf,Q5_0",
            "tiny-random-llama-Q4_K_M.gguf,Q4_K_M", "tiny-random-llama-Q4_K_S.gguf,Q4_K_S",
            "tiny-random-llama-Q4_0.gguf,Q4_0", "tiny-random-llama-Q3_K_M.gguf,Q3_K_M",
            "tiny-random-llama-Q2_K.gguf,Q2_K", "tiny-random-llama-IQ4_XS.gguf,IQ4_XS",
            "/models/Meta-Llama-3-8B-Instruct.q4_k_m.gguf,Q4_K_M", "models\\phi-3.IQ3_M.gguf,IQ3_M"})
    @DisplayName("the 13 tiny-random-llama files and other GGUF names carry their tag")
    void fileName(String name, String tag) {
        assertThat(QuantTags.fromFileName(name)).isEqualTo(tag);
    }

    @Test
    @DisplayName("unknown names are null, never a guess")
    void unknown() {
        assertThat(QuantTags.fromServerFtype("Q9_K - Huge")).isNull();
        assertThat(QuantTags.fromServerFtype(null)).isNull();
        assertThat(QuantTags.fromFileName("model.gguf")).isNull();
        assertThat(QuantTags.fromFileName("XQ4_0X.gguf")).isNull();
        assertThat(QuantTags.table()).containsEntry("Q4_K - Medium", "Q4_K_M").hasSizeGreaterThan(30);
    }
}
