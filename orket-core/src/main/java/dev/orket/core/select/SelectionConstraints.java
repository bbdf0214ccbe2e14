package dev.orket.core.select;

import org.jspecify.annotations.Nullable;

/**
 * What the selected (model, quant, context) must meet.
 *
 * @param vramBudgetMib the most median peak VRAM, in MiB
 * @param qualityFloor the least median quality score, in [0, 1]
 * @param latencyCeilingMs the most median client TTFT in ms, or null for no ceiling
 * @param context the least context in tokens the candidate must have run at (passed, for a context
 *     sweep), or null for any
 * @since 0.1
 */
public record SelectionConstraints(
        long vramBudgetMib, double qualityFloor, @Nullable Double latencyCeilingMs, @Nullable Integer context) {

    public SelectionConstraints {
        if (vramBudgetMib <= 0) {
            throw new IllegalArgumentException("vramBudgetMib must be > 0 but was " + vramBudgetMib);
        }
        if (!(qualityFloor >= 0 && qualityFloor <= 1)) {
            throw new IllegalArgumentException("qualityFloor must be in [0, 1] but was " + qualityFloor);
        }
        if (latencyCeilingMs != null && !(latencyCeilingMs > 0)) {
            throw new IllegalArgumentException("latencyCeilingMs must be > 0 but was " + latencyCeilingMs);
        }
        if (context != null && context <= 0) {
            throw new IllegalArgumentException("context must be > 0 but was " + context);
        }
    }
}
