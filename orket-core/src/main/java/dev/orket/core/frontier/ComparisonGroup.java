package dev.orket.core.frontier;

import dev.orket.api.ExecutionLane;
import dev.orket.api.VramProfile;
import dev.orket.core.kpi.CellKey;
import java.util.Comparator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a frontier compares within: one model at one context in one lane and one profile. Quants are compared at
 * the same context only (a context sweep has one frontier per context): their speeds and their agreement with the
 * baseline quant are measured at that context, and a quant at a small context is no substitute for one at a large.
 *
 * @param model the model
 * @param executionLane the lane
 * @param vramProfile the VRAM profile
 * @param context the context the runs asked for, or null when they asked for none
 * @since 0.1
 */
public record ComparisonGroup(String model, ExecutionLane executionLane, VramProfile vramProfile,
        @Nullable Integer context) implements Comparable<ComparisonGroup> {

    private static final Comparator<ComparisonGroup> ORDER = Comparator.comparing(ComparisonGroup::model)
            .thenComparing(ComparisonGroup::context, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(ComparisonGroup::executionLane)
            .thenComparing(ComparisonGroup::vramProfile);

    public ComparisonGroup {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(executionLane, "executionLane");
        Objects.requireNonNull(vramProfile, "vramProfile");
    }

    /** A group of runs that asked for no context size. */
    public ComparisonGroup(String model, ExecutionLane executionLane, VramProfile vramProfile) {
        this(model, executionLane, vramProfile, null);
    }

    /** The group of a cell. */
    public static ComparisonGroup of(CellKey key) {
        return new ComparisonGroup(key.model(), key.executionLane(), key.vramProfile(), key.context());
    }

    @Override
    public int compareTo(ComparisonGroup other) {
        return ORDER.compare(this, other);
    }
}
