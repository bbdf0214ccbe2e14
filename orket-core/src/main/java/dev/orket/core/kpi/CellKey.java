package dev.orket.core.kpi;

import dev.orket.api.ExecutionLane;
import dev.orket.api.RunIdentity;
import dev.orket.api.VramProfile;
import java.util.Comparator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One KPI cell: model × quant × context × lane × profile. Ordered by model, quant tag (absent first),
 * context (absent first, then ascending), lane, profile, so that summaries list cells deterministically.
 *
 * @param model the model name
 * @param quantTag the quant tag, or null when the runs did not carry one
 * @param executionLane the lane
 * @param vramProfile the VRAM profile
 * @param context the context size in tokens the runs asked for ({@code context_size} of the run record), or null
 *     when they asked for none; runs at different contexts are different cells (a context sweep)
 * @since 0.1
 */
public record CellKey(String model, @Nullable String quantTag, ExecutionLane executionLane, VramProfile vramProfile,
        @Nullable Integer context) implements Comparable<CellKey> {

    private static final Comparator<CellKey> ORDER = Comparator.comparing(CellKey::model)
            .thenComparing(CellKey::quantTag, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(CellKey::context, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(CellKey::executionLane)
            .thenComparing(CellKey::vramProfile);

    public CellKey {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(executionLane, "executionLane");
        Objects.requireNonNull(vramProfile, "vramProfile");
        if (context != null && context <= 0) {
            throw new IllegalArgumentException("context must be > 0 but was " + context);
        }
    }

    /** A cell of runs that asked for no context size. */
    public CellKey(String model, @Nullable String quantTag, ExecutionLane executionLane, VramProfile vramProfile) {
        this(model, quantTag, executionLane, vramProfile, null);
    }

    /** The cell a run belongs to. */
    public static CellKey of(RunIdentity identity) {
        // Quants of one family group together even though the server knows each by its own name.
        String model = identity.modelFamily() != null ? identity.modelFamily() : identity.model();
        return new CellKey(model, identity.quantTag(), identity.executionLane(), identity.vramProfile(),
                identity.contextSize());
    }

    @Override
    public int compareTo(CellKey other) {
        return ORDER.compare(this, other);
    }

    /** {@code lane/profile}, e.g. {@code lab/balanced}. */
    public String laneAndProfile() {
        return executionLane.jsonName() + "/" + vramProfile.jsonName();
    }
}
