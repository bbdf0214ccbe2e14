package dev.orket.core.vram;

import dev.orket.api.JsonNamed;

/**
 * Why a figure of a VRAM cell is absent: absent stays absent, with its reason.
 *
 * @since 0.1
 */
public enum VramUnavailableReason implements JsonNamed {
    /** No model facts (GGUF header or {@code model_facts.json}) match the cell's model and quant tag. */
    NO_MODEL_FACTS("no_model_facts"),
    /** The facts lack layer or head counts, so the KV cache cannot be computed. */
    NO_KV_SHAPE("no_kv_shape"),
    /** No run of the cell recorded the server's context size. */
    NO_CONTEXT_SIZE("no_context_size"),
    /** No run of the cell has GPU samples. */
    NO_GPU_SAMPLES("no_gpu_samples"),
    /**
     * The rise from the cell's first sample to its peak is smaller than the weights: the model was
     * already in VRAM when sampling began, so the baseline before load was not observed.
     */
    MODEL_RESIDENT_AT_FIRST_SAMPLE("model_resident_at_first_sample"),
    /** Fewer runs with samples than a slope needs. */
    TOO_FEW_RUNS("too_few_runs"),
    /** A figure this one is computed from is absent. */
    DEPENDS_ON_ABSENT_FIGURE("depends_on_absent_figure");

    private final String jsonName;

    VramUnavailableReason(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }
}
