package dev.orket.core.inventory;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a GGUF file's header says about the model. Absent values are null, never zero.
 *
 * @param ggufVersion the GGUF format version (2 or 3)
 * @param tensorCount number of tensors
 * @param metadataCount number of metadata key/value pairs
 * @param architecture {@code general.architecture}, e.g. {@code llama}
 * @param name {@code general.name}, or null
 * @param fileType {@code general.file_type} (llama.cpp's {@code llama_ftype}), or null
 * @param quantTag the quant tag of {@code fileType} (e.g. {@code Q4_K_M}), or null when unknown
 * @param parameterCount total elements of every tensor, from the tensor info section
 * @param contextLength {@code <arch>.context_length}: the training context, in tokens, or null
 * @param layerCount {@code <arch>.block_count}, or null
 * @param embeddingLength {@code <arch>.embedding_length}, or null
 * @param headCount {@code <arch>.attention.head_count}, or null
 * @param headCountKv {@code <arch>.attention.head_count_kv} (defaults to {@code headCount} per GGUF), or null
 * @param keyLength {@code <arch>.attention.key_length}, or null (then {@code embeddingLength / headCount})
 * @param valueLength {@code <arch>.attention.value_length}, or null (then {@code embeddingLength / headCount})
 * @param alignment tensor data alignment in bytes
 * @param tensorDataOffset byte offset where tensor data starts
 * @param tensorDataBytes bytes of tensor data the tensor infos describe
 * @since 0.1
 */
public record GgufHeader(
        int ggufVersion,
        long tensorCount,
        long metadataCount,
        String architecture,
        @Nullable String name,
        @Nullable Long fileType,
        @Nullable String quantTag,
        long parameterCount,
        @Nullable Long contextLength,
        @Nullable Long layerCount,
        @Nullable Long embeddingLength,
        @Nullable Long headCount,
        @Nullable Long headCountKv,
        @Nullable Long keyLength,
        @Nullable Long valueLength,
        long alignment,
        long tensorDataOffset,
        long tensorDataBytes) {

    public GgufHeader {
        Objects.requireNonNull(architecture, "architecture");
    }

    /** Per-head key dimension: {@code key_length}, else {@code embedding_length / head_count}, else null. */
    public @Nullable Long headDimKey() {
        return keyLength != null ? keyLength : derivedHeadDim();
    }

    /** Per-head value dimension: {@code value_length}, else {@code embedding_length / head_count}, else null. */
    public @Nullable Long headDimValue() {
        return valueLength != null ? valueLength : derivedHeadDim();
    }

    private @Nullable Long derivedHeadDim() {
        return embeddingLength == null || headCount == null || headCount == 0 ? null : embeddingLength / headCount;
    }
}
