package dev.orket.core.inventory;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The common GGUF quantizations: their tag, llama.cpp's {@code general.file_type} value
 * ({@code llama_ftype}) and their nominal bits per weight, the measure of precision the frontier
 * uses to find the highest-precision quant (see {@code docs/frontier.md}).
 *
 * @since 0.1
 */
public enum QuantType {
    F32("F32", 0, 32.0),
    F16("F16", 1, 16.0),
    BF16("BF16", 32, 16.0),
    Q8_0("Q8_0", 7, 8.5),
    Q6_K("Q6_K", 18, 6.5625),
    Q5_K_M("Q5_K_M", 17, 5.69),
    Q5_K_S("Q5_K_S", 16, 5.54),
    Q5_1("Q5_1", 9, 6.0),
    Q5_0("Q5_0", 8, 5.5),
    Q4_K_M("Q4_K_M", 15, 4.89),
    Q4_K_S("Q4_K_S", 14, 4.58),
    Q4_1("Q4_1", 3, 5.0),
    Q4_0("Q4_0", 2, 4.5),
    IQ4_NL("IQ4_NL", 25, 4.5),
    IQ4_XS("IQ4_XS", 30, 4.25),
    Q3_K_L("Q3_K_L", 13, 4.27),
    Q3_K_M("Q3_K_M", 12, 3.91),
    Q3_K_S("Q3_K_S", 11, 3.5),
    IQ3_M("IQ3_M", 27, 3.66),
    IQ3_S("IQ3_S", 26, 3.44),
    IQ3_XS("IQ3_XS", 22, 3.3),
    IQ3_XXS("IQ3_XXS", 23, 3.06),
    Q2_K("Q2_K", 10, 3.35),
    Q2_K_S("Q2_K_S", 21, 3.18),
    IQ2_M("IQ2_M", 29, 2.7),
    IQ2_S("IQ2_S", 28, 2.5),
    IQ2_XS("IQ2_XS", 20, 2.31),
    IQ2_XXS("IQ2_XXS", 19, 2.06),
    IQ1_M("IQ1_M", 31, 1.75),
    IQ1_S("IQ1_S", 24, 1.56),
    TQ2_0("TQ2_0", 37, 2.06),
    TQ1_0("TQ1_0", 36, 1.69);

    private final String tag;
    private final int fileType;
    private final double bitsPerWeight;

    QuantType(String tag, int fileType, double bitsPerWeight) {
        this.tag = tag;
        this.fileType = fileType;
        this.bitsPerWeight = bitsPerWeight;
    }

    /** The tag as llama.cpp and Ollama spell it, e.g. {@code Q4_K_M}. */
    public String tag() {
        return tag;
    }

    /** llama.cpp's {@code general.file_type} value. */
    public int fileType() {
        return fileType;
    }

    /** Nominal bits per weight of the quantization's dominant tensor type. */
    public double bitsPerWeight() {
        return bitsPerWeight;
    }

    /** The quant type of a tag, case-insensitive ({@code q4_k_m} matches), or null when unknown. */
    public static @Nullable QuantType fromTag(@Nullable String tag) {
        if (tag == null) {
            return null;
        }
        String upper = tag.toUpperCase(Locale.ROOT);
        for (QuantType type : values()) {
            if (type.tag.equals(upper)) {
                return type;
            }
        }
        return null;
    }

    /** The quant type of a {@code general.file_type} value, or null when unknown. */
    public static @Nullable QuantType fromFileType(long fileType) {
        for (QuantType type : values()) {
            if (type.fileType == fileType) {
                return type;
            }
        }
        return null;
    }
}
