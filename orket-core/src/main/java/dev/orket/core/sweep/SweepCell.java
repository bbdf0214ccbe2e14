package dev.orket.core.sweep;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One model × quant cell of the matrix (× context, in a context sweep) with its planned runs, baseline first within a
 * model.
 *
 * @param model the model's base name
 * @param quant the quant tag
 * @param serverModel the name the server knows the quant by
 * @param baseline whether this quant is the model's highest-precision one, whose outputs others are scored against
 *     (at the same context)
 * @param runs the cell's warm-up and measured runs, in order
 * @param scoringOnly whether a shard runs this baseline cell only to score its own cells against it, while another
 *     shard owns its results ({@link Shard})
 * @param context the context in tokens the cell's server runs with, in a context sweep; null otherwise
 * @since 0.1
 */
public record SweepCell(String model, String quant, String serverModel, boolean baseline, List<PlannedRun> runs,
        boolean scoringOnly, @Nullable Integer context) {

    public SweepCell {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(quant, "quant");
        Objects.requireNonNull(serverModel, "serverModel");
        runs = List.copyOf(runs);
        if (scoringOnly && !baseline) {
            throw new IllegalArgumentException("only a baseline cell is run for scoring only, not " + key(model, quant,
                    context));
        }
        if (context != null && context <= 0) {
            throw new IllegalArgumentException("context must be > 0 but was " + context);
        }
    }

    /** A cell without a context of its own, whose results are its shard's own. */
    public SweepCell(String model, String quant, String serverModel, boolean baseline, List<PlannedRun> runs) {
        this(model, quant, serverModel, baseline, runs, false, null);
    }

    /** A cell without a context of its own. */
    public SweepCell(String model, String quant, String serverModel, boolean baseline, List<PlannedRun> runs,
            boolean scoringOnly) {
        this(model, quant, serverModel, baseline, runs, scoringOnly, null);
    }

    /**
     * The cell's key in artifacts ({@code blocked_cells.json}, {@code cell_identities}, events): {@code model/quant},
     * and {@code model/quant@context} in a context sweep.
     */
    public String key() {
        return key(model, quant, context);
    }

    /** The key of a cell: {@code model/quant}, or {@code model/quant@context} when it has a context. */
    public static String key(String model, String quant, @Nullable Integer context) {
        return model + "/" + quant + (context == null ? "" : "@" + context);
    }

    /** The same cell run by a shard for scoring only. */
    SweepCell scoringOnlyCopy() {
        return new SweepCell(model, quant, serverModel, true, runs, true, context);
    }
}
