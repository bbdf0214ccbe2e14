package dev.orket.core.inventory;

/**
 * The estimated VRAM a quant needs at a context size ({@code docs/inventory.md}).
 *
 * @param contextSize the context size in tokens
 * @param weightsBytes tensor data bytes
 * @param kvCacheBytes {@code 2 × layers × context × head_count_kv × head_dim × kvBytesPerElement}
 * @param marginBytes {@link VramEstimator#FIXED_MARGIN_BYTES} + {@link VramEstimator#PROPORTIONAL_MARGIN} × (weights + KV)
 * @param totalBytes the sum
 * @since 0.1
 */
public record VramEstimate(long contextSize, long weightsBytes, long kvCacheBytes, long marginBytes, long totalBytes) {

    /** The total in MiB, rounded up. */
    public long totalMib() {
        return (totalBytes + (1L << 20) - 1) >> 20;
    }
}
