package dev.orket.core.select;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orket.core.artifact.ArtifactFormatException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a summary's optional {@code context_ceilings} section, exactly this shape:
 *
 * <pre>{@code
 * "context_ceilings": [
 *   {"model": "tiny-llama", "quant_tag": "Q4_K_M", "context_ceiling": 256,
 *    "per_context": [
 *      {"context": 128, "passed": true, "reasons": [],
 *       "median_adherence": 0.97, "median_ttft_ms": 180.0, "median_decode_tps": 22.5,
 *       "median_peak_vram_used_mb": 1020},
 *      {"context": 512, "passed": false, "reasons": ["ttft_above_ceiling"], ...}]}]
 * }</pre>
 *
 * Each median is read under the first of its names that is present, in the object itself or in a
 * nested {@code "medians"} object: quality {@code median_quality_score}, {@code median_adherence},
 * {@code quality_score}, {@code adherence}; speed {@code median_generation_tokens_per_second},
 * {@code median_decode_tps}, {@code generation_tokens_per_second}, {@code decode_tps}; TTFT
 * {@code median_client_ttft_ms}, {@code median_ttft_ms}, {@code client_ttft_ms}, {@code ttft_ms}; VRAM
 * {@code median_peak_vram_used_mb}, {@code peak_vram_used_mb}, {@code median_vram_mib}. A median that is
 * absent or null is unknown.
 *
 * @since 0.1
 */
public final class ContextCeilingsReader {

    static final List<String> QUALITY = List.of("median_quality_score", "median_adherence", "quality_score",
            "adherence");
    static final List<String> SPEED = List.of("median_generation_tokens_per_second", "median_decode_tps",
            "generation_tokens_per_second", "decode_tps");
    static final List<String> TTFT = List.of("median_client_ttft_ms", "median_ttft_ms", "client_ttft_ms", "ttft_ms");
    static final List<String> VRAM = List.of("median_peak_vram_used_mb", "peak_vram_used_mb", "median_vram_mib");

    private ContextCeilingsReader() {}

    /**
     * The section of a summary, or null when the summary has none.
     *
     * @param summary the summary's root object
     * @param source the summary's name for error messages
     * @throws ArtifactFormatException naming the entry and the field when the section does not have this shape
     */
    public static @Nullable List<ContextCeiling> read(JsonNode summary, String source) {
        JsonNode section = summary.get("context_ceilings");
        if (section == null || section.isNull()) {
            return null;
        }
        if (!section.isArray()) {
            throw new ArtifactFormatException(source + ": context_ceilings must be an array but was " + section);
        }
        List<ContextCeiling> ceilings = new ArrayList<>();
        for (int i = 0; i < section.size(); i++) {
            JsonNode entry = section.get(i);
            String where = source + " context_ceilings[" + i + "]";
            JsonNode perContext = entry.path("per_context");
            if (!perContext.isArray()) {
                throw new ArtifactFormatException(where + ": per_context must be an array but was " + perContext);
            }
            List<ContextCeiling.PerContext> contexts = new ArrayList<>();
            for (int j = 0; j < perContext.size(); j++) {
                JsonNode c = perContext.get(j);
                String at = where + ".per_context[" + j + "]";
                JsonNode passed = c.path("passed");
                if (!passed.isBoolean()) {
                    throw new ArtifactFormatException(at + ": passed must be a boolean but was " + passed);
                }
                List<String> reasons = new ArrayList<>();
                JsonNode reasonNodes = c.path("reasons");
                if (!reasonNodes.isMissingNode() && !reasonNodes.isNull()) {
                    if (!reasonNodes.isArray()) {
                        throw new ArtifactFormatException(at + ": reasons must be an array but was " + reasonNodes);
                    }
                    reasonNodes.forEach(r -> reasons.add(r.asText()));
                }
                contexts.add(new ContextCeiling.PerContext(positiveInt(c, "context", at), passed.asBoolean(), reasons,
                        median(c, QUALITY, at), median(c, SPEED, at), median(c, TTFT, at), median(c, VRAM, at)));
            }
            JsonNode ceiling = entry.path("context_ceiling");
            ceilings.add(new ContextCeiling(text(entry, "model", where), text(entry, "quant_tag", where),
                    ceiling.isNull() || ceiling.isMissingNode() ? null : positiveInt(entry, "context_ceiling", where),
                    contexts));
        }
        return ceilings;
    }

    private static @Nullable Double median(JsonNode node, List<String> names, String where) {
        JsonNode nested = node.path("medians");
        for (String name : names) {
            for (JsonNode holder : List.of(node, nested)) {
                JsonNode value = holder.path(name);
                if (value.isMissingNode()) {
                    continue;
                }
                if (value.isNull()) {
                    return null;
                }
                if (!value.isNumber()) {
                    throw new ArtifactFormatException(where + ": " + name + " must be a number but was " + value);
                }
                return value.asDouble();
            }
        }
        return null;
    }

    private static int positiveInt(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() <= 0) {
            throw new ArtifactFormatException(where + ": " + field + " must be a positive integer but was " + value);
        }
        return value.asInt();
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new ArtifactFormatException(where + ": " + field + " must be a string but was " + value);
        }
        return value.asText();
    }
}
