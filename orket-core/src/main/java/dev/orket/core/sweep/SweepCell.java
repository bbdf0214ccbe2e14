package dev.orket.core.sweep;

import java.util.List;
import java.util.Objects;

/**
 * One model × quant cell of the matrix with its planned runs, baseline first within a model.
 *
 * @param model the model's base name
 * @param quant the quant tag
 * @param serverModel the name the server knows the quant by
 * @param baseline whether this quant is the model's highest-precision one, whose outputs others are scored against
 * @param runs the cell's warm-up and measured runs, in order
 * @param scoringOnly whether a shard runs this baseline cell only to score its own cells against it, while another
 *     shard owns its results ({@link Shard})
 * @since 0.1
 */
public record SweepCell(String model, String quant, String serverModel, boolean baseline, List<PlannedRun> runs,
        boolean scoringOnly) {

    public SweepCell {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(quant, "quant");
        Objects.requireNonNull(serverModel, "serverModel");
        runs = List.copyOf(runs);
        if (scoringOnly && !baseline) {
            throw new IllegalArgumentException("only a baseline cell is run for scoring only, not " + model + "/"
                    + quant);
        }
    }

    /** A cell whose results are its shard's own. */
    public SweepCell(String model, String quant, String serverModel, boolean baseline, List<PlannedRun> runs) {
        this(model, quant, serverModel, baseline, runs, false);
    }

    /** The cell's key in artifacts: {@code model/quant}. */
    public String key() {
        return model + "/" + quant;
    }
}
