package dev.orket.simulator.server;

import java.util.Objects;

/**
 * One quantization of the simulated family with the parameters its documented model implies
 * ({@code docs/simulated-quant-family.md}).
 *
 * @param tag the quant tag, e.g. {@code Q4_K_M}
 * @param ftype the server's ftype string, e.g. {@code Q4_K - Medium}
 * @param bitsPerWeight nominal bits per weight
 * @param generationMsPerToken decode time per token in ms, before the speed factor
 * @param promptMsPerToken prompt time per token in ms, before the speed factor
 * @param vramMib VRAM the server holds in MiB: weights + KV cache + margin
 * @param deviationFraction the fraction of output positions that differ from the baseline (F16), in [0, 1]
 * @since 0.1
 */
public record QuantProfile(String tag, String ftype, double bitsPerWeight, double generationMsPerToken,
        double promptMsPerToken, long vramMib, double deviationFraction) {

    public QuantProfile {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(ftype, "ftype");
        if (!(bitsPerWeight > 0)) {
            throw new IllegalArgumentException("bitsPerWeight must be > 0 but was " + bitsPerWeight);
        }
        if (!(deviationFraction >= 0 && deviationFraction <= 1)) {
            throw new IllegalArgumentException("deviationFraction must be in [0, 1] but was " + deviationFraction);
        }
    }

    /** The quality the model implies: the expected agreement with the baseline, {@code 1 - deviationFraction}. */
    public double expectedQuality() {
        return 1.0 - deviationFraction;
    }

    /**
     * The weights in MiB: {@code vramMib} less the family's KV cache and margin
     * ({@link SimulatedQuantFamily#KV_CACHE_MIB}, {@link SimulatedQuantFamily#MARGIN_MIB}).
     */
    public long weightsMib() {
        return vramMib - SimulatedQuantFamily.KV_CACHE_MIB - SimulatedQuantFamily.MARGIN_MIB;
    }

    /** Decode speed in tokens per second before the speed factor: {@code 1000 / generationMsPerToken}. */
    public double generationTokensPerSecond() {
        return 1000.0 / generationMsPerToken;
    }
}
