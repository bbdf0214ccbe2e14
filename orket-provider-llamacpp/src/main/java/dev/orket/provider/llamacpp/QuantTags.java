package dev.orket.provider.llamacpp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Maps llama.cpp's human ftype names ({@code /props} {@code model_ftype}, {@code /v1/models}
 * {@code meta.ftype}, from llama.cpp's {@code llama_model_ftype_name}) and GGUF file names to the
 * quant tags of {@code llama-quantize} ({@code Q4_K - Medium} to {@code Q4_K_M}, {@code all F32} to
 * {@code F32}, {@code IQ4_XS - 4.25 bpw} to {@code IQ4_XS}). Unknown names map to null, never to a
 * guess.
 *
 * @since 0.1
 */
public final class QuantTags {

    private static final Map<String, String> BY_FTYPE = new LinkedHashMap<>();

    static {
        put("all F32", "F32");
        put("F16", "F16");
        put("BF16", "BF16");
        put("Q4_0", "Q4_0");
        put("Q4_1", "Q4_1");
        put("Q5_0", "Q5_0");
        put("Q5_1", "Q5_1");
        put("Q8_0", "Q8_0");
        put("MXFP4 MoE", "MXFP4_MOE");
        put("Q2_K - Medium", "Q2_K");
        put("Q2_K - Small", "Q2_K_S");
        put("Q3_K - Small", "Q3_K_S");
        put("Q3_K - Medium", "Q3_K_M");
        put("Q3_K - Large", "Q3_K_L");
        put("Q4_K - Small", "Q4_K_S");
        put("Q4_K - Medium", "Q4_K_M");
        put("Q5_K - Small", "Q5_K_S");
        put("Q5_K - Medium", "Q5_K_M");
        put("Q6_K", "Q6_K");
        put("TQ1_0 - 1.69 bpw ternary", "TQ1_0");
        put("TQ2_0 - 2.06 bpw ternary", "TQ2_0");
        put("IQ2_XXS - 2.0625 bpw", "IQ2_XXS");
        put("IQ2_XS - 2.3125 bpw", "IQ2_XS");
        put("IQ2_S - 2.5 bpw", "IQ2_S");
        put("IQ2_M - 2.7 bpw", "IQ2_M");
        put("IQ3_XS - 3.3 bpw", "IQ3_XS");
        put("IQ3_XXS - 3.0625 bpw", "IQ3_XXS");
        put("IQ1_S - 1.5625 bpw", "IQ1_S");
        put("IQ1_M - 1.75 bpw", "IQ1_M");
        put("IQ4_NL - 4.5 bpw", "IQ4_NL");
        put("IQ4_XS - 4.25 bpw", "IQ4_XS");
        put("IQ3_S - 3.4375 bpw", "IQ3_S");
        put("IQ3_S mix - 3.66 bpw", "IQ3_M");
    }

    private static final List<String> TAGS_LONGEST_FIRST;

    static {
        List<String> tags = new ArrayList<>(BY_FTYPE.values());
        tags.sort((a, b) -> b.length() - a.length());
        TAGS_LONGEST_FIRST = Collections.unmodifiableList(tags);
    }

    private QuantTags() {}

    private static void put(String ftype, String tag) {
        BY_FTYPE.put(ftype, tag);
    }

    /**
     * The quant tag for a server ftype name, or null when the name is unknown. A leading
     * {@code (guessed) } (GGUF without {@code general.file_type}) is ignored.
     */
    public static @Nullable String fromServerFtype(@Nullable String ftype) {
        if (ftype == null) {
            return null;
        }
        String name = ftype.strip();
        if (name.startsWith("(guessed)")) {
            name = name.substring("(guessed)".length()).strip();
        }
        String tag = BY_FTYPE.get(name);
        if (tag != null) {
            return tag;
        }
        // Tolerate spacing and case drift in the "Q4_K - Medium" family.
        for (Map.Entry<String, String> entry : BY_FTYPE.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /**
     * The quant tag in a GGUF file name ({@code tiny-random-llama-Q4_K_M.gguf} gives {@code Q4_K_M}),
     * or null when the name carries no known tag. The longest tag bounded by {@code - . _} or the
     * ends of the name wins; case is ignored.
     */
    public static @Nullable String fromFileName(String fileName) {
        String name = fileName;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        if (slash >= 0) {
            name = name.substring(slash + 1);
        }
        String upper = name.toUpperCase(Locale.ROOT);
        for (String tag : TAGS_LONGEST_FIRST) {
            int from = 0;
            int at;
            while ((at = upper.indexOf(tag, from)) >= 0) {
                int after = at + tag.length();
                if (isBoundary(upper, at - 1) && isBoundary(upper, after)) {
                    return tag;
                }
                from = at + 1;
            }
        }
        return null;
    }

    /** Every ftype name this mapping knows, with its tag, in llama.cpp's order. */
    public static Map<String, String> table() {
        return Collections.unmodifiableMap(BY_FTYPE);
    }

    private static boolean isBoundary(String name, int index) {
        if (index < 0 || index >= name.length()) {
            return true;
        }
        char c = name.charAt(index);
        return c == '-' || c == '.' || c == '_';
    }
}
