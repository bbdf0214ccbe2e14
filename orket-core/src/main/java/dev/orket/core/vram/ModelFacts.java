package dev.orket.core.vram;

import dev.orket.core.inventory.GgufHeader;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a model file says about its VRAM needs: the weights and the shape of its KV cache. From a
 * GGUF header ({@link #fromGguf}), or from a {@code model_facts.json} file (e.g. written from
 * Ollama's {@code /api/show}, or by {@code orket demo} for the simulated family).
 *
 * @param model the model (family) name the facts are for, or null for any model with this quant tag
 * @param quantTag the quant tag, e.g. {@code Q4_K_M}
 * @param weightsMib tensor data in MiB (rounded up)
 * @param layers transformer blocks, or null when unknown
 * @param kvHeads key/value heads per layer, or null when unknown
 * @param keyLength per-head key dimension, or null when unknown
 * @param valueLength per-head value dimension, or null when unknown
 * @param kvBytesPerElement bytes per KV cache element: 2 for the default f16 cache
 * @param context the context the server runs this model at when neither the ledger nor the manifest
 *     says (e.g. Ollama's {@code num_ctx} from {@code /api/show}), or null
 * @param source where the facts came from, e.g. {@code gguf_header:model.gguf}
 * @since 0.1
 */
public record ModelFacts(
        @Nullable String model,
        String quantTag,
        long weightsMib,
        @Nullable Long layers,
        @Nullable Long kvHeads,
        @Nullable Long keyLength,
        @Nullable Long valueLength,
        double kvBytesPerElement,
        @Nullable Integer context,
        String source) {

    private static final double MIB = 1 << 20;

    public ModelFacts {
        Objects.requireNonNull(quantTag, "quantTag");
        Objects.requireNonNull(source, "source");
        if (weightsMib < 0) {
            throw new IllegalArgumentException("weightsMib must be >= 0 but was " + weightsMib);
        }
        if (!(kvBytesPerElement > 0)) {
            throw new IllegalArgumentException("kvBytesPerElement must be > 0 but was " + kvBytesPerElement);
        }
    }

    /** The facts of a GGUF file, with an f16 KV cache; the model is left open (matched by quant tag). */
    public static ModelFacts fromGguf(GgufHeader header, String fileName) {
        String tag = header.quantTag();
        if (tag == null) {
            throw new IllegalArgumentException("GGUF file " + fileName + " has no known quant type (general.file_type "
                    + header.fileType() + "); name its facts in model_facts.json instead");
        }
        return new ModelFacts(null, tag, (long) Math.ceil(header.tensorDataBytes() / MIB), header.layerCount(),
                header.headCountKv(), header.headDimKey(), header.headDimValue(), 2.0, null, "gguf_header:" + fileName);
    }

    /**
     * The KV cache for a context in MiB (rounded up): {@code context × layers × KV heads × (key dim +
     * value dim) × bytes per element / 2^20} &mdash; K and V for every token of the context in every
     * layer, which is {@code 2 × context × layers × KV heads × head dim × bytes} when key and value
     * dims are equal. Null when the shape is unknown.
     */
    public @Nullable Long kvCacheMib(long context) {
        if (layers == null || kvHeads == null || keyLength == null || valueLength == null) {
            return null;
        }
        double bytes = (double) context * layers * kvHeads * (keyLength + valueLength) * kvBytesPerElement;
        return (long) Math.ceil(bytes / MIB);
    }
}
