package dev.orket.core.frontier;

import dev.orket.api.ExecutionLane;
import dev.orket.api.VramProfile;
import dev.orket.core.kpi.CellKey;
import java.util.Comparator;
import java.util.Objects;

/**
 * What a frontier compares within: one model in one lane and one profile.
 *
 * @since 0.1
 */
public record ComparisonGroup(String model, ExecutionLane executionLane, VramProfile vramProfile)
        implements Comparable<ComparisonGroup> {

    private static final Comparator<ComparisonGroup> ORDER = Comparator.comparing(ComparisonGroup::model)
            .thenComparing(ComparisonGroup::executionLane)
            .thenComparing(ComparisonGroup::vramProfile);

    public ComparisonGroup {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(executionLane, "executionLane");
        Objects.requireNonNull(vramProfile, "vramProfile");
    }

    /** The group of a cell. */
    public static ComparisonGroup of(CellKey key) {
        return new ComparisonGroup(key.model(), key.executionLane(), key.vramProfile());
    }

    @Override
    public int compareTo(ComparisonGroup other) {
        return ORDER.compare(this, other);
    }
}
