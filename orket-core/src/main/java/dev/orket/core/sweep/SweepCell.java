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
 * @since 0.1
 */
public record SweepCell(String model, String quant, String serverModel, boolean baseline, List<PlannedRun> runs) {

    public SweepCell {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(quant, "quant");
        Objects.requireNonNull(serverModel, "serverModel");
        runs = List.copyOf(runs);
    }
}
