package dev.orket.provider.ollama;

import dev.orket.api.RunQualityReason;
import dev.orket.api.spi.WireEvent;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A model Ollama holds in memory, from {@code GET /api/ps}. Read it right after a run: {@code size} and
 * {@code size_vram} are exact once loading finished, and {@code size_vram < size} means part of the
 * model (weights or KV cache) runs from system memory.
 *
 * @param name the normalised {@code name:tag}, never null
 * @param sizeBytes {@code size}: all buffers, KV cache included, in bytes
 * @param sizeVramBytes {@code size_vram}: the part in GPU memory, in bytes
 * @param contextLength {@code context_length}: the effective {@code num_ctx} in tokens, or null when absent
 * @param quantizationLevel {@code details.quantization_level}, or null when absent
 * @param expiresAt {@code expires_at} as sent (RFC 3339, server's zone), or null when absent
 * @since 0.1
 */
public record LoadedModel(String name, long sizeBytes, long sizeVramBytes, @Nullable Integer contextLength,
        @Nullable String quantizationLevel, @Nullable String expiresAt) {

    public LoadedModel {
        Objects.requireNonNull(name, "name");
        if (sizeBytes < 0 || sizeVramBytes < 0) {
            throw new IllegalArgumentException("sizes must be >= 0 but were " + sizeBytes + " and " + sizeVramBytes);
        }
    }

    /**
     * The fraction of the model outside VRAM, {@code 1 − size_vram/size} in [0, 1] ({@code ollama ps} prints it
     * as the CPU share); null when {@code size} is 0.
     */
    public @Nullable Double vramSpillFraction() {
        if (sizeBytes == 0) {
            return null;
        }
        double inVram = Math.min(sizeVramBytes, sizeBytes);
        return 1.0 - inVram / sizeBytes;
    }

    /** Whether part of the model is outside VRAM. */
    public boolean spilled() {
        return sizeBytes > 0 && sizeVramBytes < sizeBytes;
    }

    /** A {@code VRAM_SPILL} flag with the fraction for the run just measured, or empty when all of it is in VRAM. */
    public Optional<WireEvent.QualityFlag> vramSpillFlag() {
        if (!spilled()) {
            return Optional.empty();
        }
        long percent = Math.round(Objects.requireNonNull(vramSpillFraction()) * 100);
        return Optional.of(new WireEvent.QualityFlag(RunQualityReason.VRAM_SPILL, percent + "% of " + name
                + " outside VRAM (size " + sizeBytes + " B, size_vram " + sizeVramBytes + " B)"));
    }
}
