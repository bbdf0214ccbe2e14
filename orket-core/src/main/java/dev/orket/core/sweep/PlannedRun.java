package dev.orket.core.sweep;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One run of the resolved matrix.
 *
 * @param runId the run's id, unique within the sweep and stable across resumes
 * @param phase canary, warm-up or measured
 * @param model the model's base name
 * @param quant the quant tag
 * @param serverModel the name the server knows the quant by
 * @param session the prompt session
 * @param repetition the 1-based repetition (or canary / warm-up number)
 * @param context the context in tokens the run asks for in a context sweep (its prompt filled to a fraction of it),
 *     or null outside one
 * @since 0.1
 */
public record PlannedRun(String runId, RunPhase phase, String model, String quant, String serverModel,
        PromptSession session, int repetition, @Nullable Integer context) {

    public PlannedRun {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(quant, "quant");
        Objects.requireNonNull(serverModel, "serverModel");
        Objects.requireNonNull(session, "session");
    }

    /** A run outside a context sweep. */
    public PlannedRun(String runId, RunPhase phase, String model, String quant, String serverModel,
            PromptSession session, int repetition) {
        this(runId, phase, model, quant, serverModel, session, repetition, null);
    }
}
