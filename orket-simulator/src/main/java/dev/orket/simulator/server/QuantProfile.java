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
 * @param vramMib VRAM the server holds in MiB: weights + KV cache at {@code contextSize} + margin
 * @param deviationFraction the fraction of output positions that differ from the baseline (F16), in [0, 1]
 * @param contextSize the context in tokens the server holds a KV cache for
 * @since 0.1
 */
public record QuantProfile(String tag, String ftype, double bitsPerWeight, double generationMsPerToken,
        double promptMsPerToken, long vramMib, double deviationFraction, int contextSize) {

    public QuantProfile {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(ftype, "ftype");
        if (!(bitsPerWeight > 0)) {
            throw new IllegalArgumentException("bitsPerWeight must be > 0 but was " + bitsPerWeight);
        }
        if (!(deviationFraction >= 0 && deviationFraction <= 1)) {
            throw new IllegalArgumentException("deviationFraction must be in [0, 1] but was " + deviationFraction);
        }
        if (contextSize < 1) {
            throw new IllegalArgumentException("contextSize must be >= 1 but was " + contextSize);
        }
    }

    /** A profile at the family's standard context ({@link SimulatedQuantFamily#CONTEXT_SIZE}). */
    public QuantProfile(String tag, String ftype, double bitsPerWeight, double generationMsPerToken,
            double promptMsPerToken, long vramMib, double deviationFraction) {
        this(tag, ftype, bitsPerWeight, generationMsPerToken, promptMsPerToken, vramMib, deviationFraction,
                SimulatedQuantFamily.CONTEXT_SIZE);
    }

    /** The quality the model implies: the expected agreement with the baseline, {@code 1 - deviationFraction}. */
    public double expectedQuality() {
        return 1.0 - deviationFraction;
    }

    /**
     * The weights in MiB: {@code vramMib} less the KV cache at {@code contextSize} and the margin
     * ({@link SimulatedQuantFamily#kvCacheMib(int)}, {@link SimulatedQuantFamily#MARGIN_MIB}).
     */
    public long weightsMib() {
        return vramMib - SimulatedQuantFamily.kvCacheMib(contextSize) - SimulatedQuantFamily.MARGIN_MIB;
    }

    /** The KV cache this profile's VRAM holds, in MiB: at {@code contextSize}. */
    public long kvCacheMib() {
        return SimulatedQuantFamily.kvCacheMib(contextSize);
    }

    /**
     * The quality a baseline-agreement scorer measures over {@code outputTokens} tokens: exactly
     * {@code 1 - floor(deviationFraction × outputTokens) / outputTokens} (the quant changes that many positions of
     * the baseline's output; {@code docs/simulated-quant-family.md}).
     */
    public double measuredQuality(int outputTokens) {
        if (outputTokens < 1) {
            throw new IllegalArgumentException("outputTokens must be >= 1 but was " + outputTokens);
        }
        return 1.0 - Math.floor(deviationFraction * outputTokens) / outputTokens;
    }

    /** Decode speed in tokens per second before the speed factor: {@code 1000 / generationMsPerToken}. */
    public double generationTokensPerSecond() {
        return 1000.0 / generationMsPerToken;
    }
}
