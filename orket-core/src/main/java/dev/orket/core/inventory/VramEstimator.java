package dev.orket.core.inventory;

import dev.orket.api.VramProfile;

/**
 * Estimates VRAM for the pre-flight check: weights + KV cache + a margin for the runtime's context
 * and compute buffers.
 *
 * @since 0.1
 */
public final class VramEstimator {

    /** Fixed margin for the GPU runtime context and compute buffers: 512 MiB. */
    public static final long FIXED_MARGIN_BYTES = 512L << 20;

    /** Proportional margin on weights + KV cache: 10 %. */
    public static final double PROPORTIONAL_MARGIN = 0.10;

    /** Bytes per KV cache element for the default f16 cache. */
    public static final int F16_BYTES = 2;

    private VramEstimator() {}

    /** The estimate with an f16 KV cache. */
    public static VramEstimate estimate(GgufHeader header, long contextSize) {
        return estimate(header, contextSize, F16_BYTES);
    }

    /**
     * The estimate with a KV cache of the given element size (2 for f16, 1 for q8_0 approximately).
     *
     * @throws IllegalArgumentException when the header lacks layer or head counts, or the context is not positive
     */
    public static VramEstimate estimate(GgufHeader header, long contextSize, double kvBytesPerElement) {
        if (contextSize <= 0) {
            throw new IllegalArgumentException("contextSize must be > 0 but was " + contextSize);
        }
        Long layers = header.layerCount();
        Long kvHeads = header.headCountKv();
        Long keyDim = header.headDimKey();
        Long valueDim = header.headDimValue();
        if (layers == null || kvHeads == null || keyDim == null || valueDim == null) {
            throw new IllegalArgumentException("cannot estimate the KV cache of a " + header.architecture()
                    + " model without block_count, head counts and embedding length in its header");
        }
        // K and V per layer per token: kvHeads × (keyDim + valueDim), i.e. 2 × kvHeads × headDim when equal.
        long kv = (long) Math.ceil(layers * (double) contextSize * kvHeads * (keyDim + valueDim) * kvBytesPerElement);
        long weights = header.tensorDataBytes();
        long margin = FIXED_MARGIN_BYTES + (long) Math.ceil(PROPORTIONAL_MARGIN * (weights + kv));
        return new VramEstimate(contextSize, weights, kv, margin, weights + kv + margin);
    }

    /** Whether an estimate fits a profile's cap on a card of the given total VRAM in MiB. */
    public static boolean fits(VramEstimate estimate, VramProfile profile, long vramTotalMib) {
        return estimate.totalMib() <= profile.vramCapMib(vramTotalMib);
    }
}
