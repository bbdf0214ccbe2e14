package dev.orket.core.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The resolved matrix of a sweep: canary runs, then per model its cells from the highest-precision
 * quant down, each with its warm-up runs and then repetitions × sessions measured runs. A pure
 * function of the config and the precision order, so a resumed sweep plans the same run ids.
 *
 * @param canaryRuns the canary runs on the first cell
 * @param cells the cells in run order
 * @since 0.1
 */
public record SweepPlan(List<PlannedRun> canaryRuns, List<SweepCell> cells) {

    public SweepPlan {
        canaryRuns = List.copyOf(canaryRuns);
        cells = List.copyOf(cells);
    }

    /**
     * Resolves a config.
     *
     * @param config the sweep config
     * @param higherPrecisionFirst orders quant tags from the highest precision down
     */
    public static SweepPlan resolve(SweepConfig config, Comparator<String> higherPrecisionFirst) {
        Objects.requireNonNull(higherPrecisionFirst, "higherPrecisionFirst");
        List<SweepCell> cells = new ArrayList<>();
        for (SweepConfig.ModelSpec model : config.models()) {
            List<String> quants = new ArrayList<>(model.quants());
            quants.sort(higherPrecisionFirst);
            for (int q = 0; q < quants.size(); q++) {
                String quant = quants.get(q);
                String serverModel = model.serverModel(quant);
                String prefix = model.name() + "/" + quant + "/";
                List<PlannedRun> runs = new ArrayList<>();
                PromptSession first = config.sessions().get(0);
                for (int w = 1; w <= config.warmupRuns(); w++) {
                    runs.add(new PlannedRun(prefix + "warmup/w" + w, RunPhase.WARMUP, model.name(), quant,
                            serverModel, first, w));
                }
                for (int r = 1; r <= config.repetitions(); r++) {
                    for (PromptSession session : config.sessions()) {
                        runs.add(new PlannedRun(measuredRunId(model.name(), quant, session.id(), r), RunPhase.MEASURED, model.name(),
                                quant, serverModel, session, r));
                    }
                }
                cells.add(new SweepCell(model.name(), quant, serverModel, q == 0, runs));
            }
        }
        List<PlannedRun> canary = new ArrayList<>();
        SweepCell firstCell = cells.get(0);
        for (int c = 1; c <= config.canary().runs(); c++) {
            canary.add(new PlannedRun("canary/" + firstCell.model() + "/" + firstCell.quant() + "/c" + c,
                    RunPhase.CANARY, firstCell.model(), firstCell.quant(), firstCell.serverModel(),
                    config.sessions().get(0), c));
        }
        return new SweepPlan(canary, cells);
    }

    /** The id of a measured run: {@code model/quant/session/rN}. */
    public static String measuredRunId(String model, String quant, String sessionId, int repetition) {
        return model + "/" + quant + "/" + sessionId + "/r" + repetition;
    }

    /** Every planned run, in order. */
    public List<PlannedRun> allRuns() {
        List<PlannedRun> all = new ArrayList<>(canaryRuns);
        for (SweepCell cell : cells) {
            all.addAll(cell.runs());
        }
        return all;
    }

    /** The number of measured runs. */
    public int measuredRunCount() {
        int count = 0;
        for (SweepCell cell : cells) {
            for (PlannedRun run : cell.runs()) {
                if (run.phase() == RunPhase.MEASURED) {
                    count++;
                }
            }
        }
        return count;
    }
}
