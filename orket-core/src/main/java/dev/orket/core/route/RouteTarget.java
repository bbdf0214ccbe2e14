package dev.orket.core.route;

import dev.orket.api.RunIdentity;
import dev.orket.core.select.Candidate;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a request goes: a model, its quant and context.
 *
 * @param model the model (family) name
 * @param quantTag the quant tag, or null when the model carries none
 * @param context the context in tokens, or null when unknown
 * @since 0.1
 */
public record RouteTarget(String model, @Nullable String quantTag, @Nullable Integer context) {

    public RouteTarget {
        Objects.requireNonNull(model, "model");
    }

    /** The target of a selector candidate. */
    public static RouteTarget of(Candidate candidate) {
        return new RouteTarget(candidate.model(), candidate.quantTag(), candidate.context());
    }

    /** Whether a run ran on this target: same model (family) and quant tag. */
    boolean ran(RunIdentity identity) {
        String runModel = identity.modelFamily() != null ? identity.modelFamily() : identity.model();
        return model.equals(runModel) && Objects.equals(quantTag, identity.quantTag());
    }

    @Override
    public String toString() {
        return model + "/" + quantTag + (context == null ? "" : "@" + context);
    }
}
