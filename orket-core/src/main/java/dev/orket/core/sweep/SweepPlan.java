package dev.orket.core.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The resolved matrix of a sweep: canary runs, then per model its cells from the highest-precision
 * quant down (each at every context of a context sweep, ascending), each with its warm-up runs and then
 * repetitions × sessions measured runs. A pure function of the config and the precision order, so a resumed
 * sweep plans the same run ids.
 *
 * @param canaryRuns the canary runs on the first cell
 * @param cells the cells in run order
 * @param shard which part of the sweep this plan is ({@link Shard#WHOLE} when it is not split)
 * @since 0.1
 */
public record SweepPlan(List<PlannedRun> canaryRuns, List<SweepCell> cells, Shard shard) {

    public SweepPlan {
        canaryRuns = List.copyOf(canaryRuns);
        cells = List.copyOf(cells);
        Objects.requireNonNull(shard, "shard");
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("a plan has at least one cell");
        }
    }

    /**
     * Resolves a config. In a context sweep each quant's cell is repeated per context, ascending, right after it
     * (model, quant from the highest precision down, context): the baseline quant runs at every context before any
     * other quant, so each cell finds its baseline's outputs at its own context.
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
                for (Integer context : config.cellContexts()) {
                    String prefix = SweepCell.key(model.name(), quant, context) + "/";
                    List<PlannedRun> runs = new ArrayList<>();
                    PromptSession first = config.sessions().get(0);
                    for (int w = 1; w <= config.warmupRuns(); w++) {
                        runs.add(new PlannedRun(prefix + "warmup/w" + w, RunPhase.WARMUP, model.name(), quant,
                                serverModel, first, w, context));
                    }
                    for (int r = 1; r <= config.repetitions(); r++) {
                        for (PromptSession session : config.sessions()) {
                            runs.add(new PlannedRun(measuredRunId(model.name(), quant, context, session.id(), r),
                                    RunPhase.MEASURED, model.name(), quant, serverModel, session, r, context));
                        }
                    }
                    cells.add(new SweepCell(model.name(), quant, serverModel, q == 0, runs, false, context));
                }
            }
        }
        return new SweepPlan(canary(config, cells.get(0)), cells, Shard.WHOLE);
    }

    /**
     * Resolves one shard's part of a config: its own cells, dealt round-robin ({@link Shard}), plus the baseline cell
     * of each model (at each context) it holds another cell of, run for scoring only; the canary runs on its first
     * cell.
     *
     * @throws dev.orket.api.ConfigurationException when the shard would own no cell
     */
    public static SweepPlan resolve(SweepConfig config, Comparator<String> higherPrecisionFirst, Shard shard) {
        SweepPlan whole = resolve(config, higherPrecisionFirst);
        if (!shard.split()) {
            return whole;
        }
        if (shard.index() > whole.cells().size()) {
            throw new dev.orket.api.ConfigurationException("shard " + shard + " would own no cell: the sweep has "
                    + whole.cells().size() + " cell(s); split it into at most " + whole.cells().size() + " shards");
        }
        // A quant is scored against the baseline quant of its model at its own context.
        java.util.Set<String> baselinesNeeded = new java.util.HashSet<>();
        for (int i = 0; i < whole.cells().size(); i++) {
            SweepCell cell = whole.cells().get(i);
            if (shard.owns(i) && !cell.baseline()) {
                baselinesNeeded.add(cell.model() + "@" + cell.context());
            }
        }
        List<SweepCell> cells = new ArrayList<>();
        for (int i = 0; i < whole.cells().size(); i++) {
            SweepCell cell = whole.cells().get(i);
            if (shard.owns(i)) {
                cells.add(cell);
            } else if (cell.baseline() && baselinesNeeded.contains(cell.model() + "@" + cell.context())) {
                cells.add(cell.scoringOnlyCopy());
            }
        }
        return new SweepPlan(canary(config, cells.get(0)), cells, shard);
    }

    private static List<PlannedRun> canary(SweepConfig config, SweepCell firstCell) {
        List<PlannedRun> canary = new ArrayList<>();
        for (int c = 1; c <= config.canary().runs(); c++) {
            canary.add(new PlannedRun("canary/" + firstCell.key() + "/c" + c, RunPhase.CANARY, firstCell.model(),
                    firstCell.quant(), firstCell.serverModel(), config.sessions().get(0), c, firstCell.context()));
        }
        return canary;
    }

    /** The id of a measured run outside a context sweep: {@code model/quant/session/rN}. */
    public static String measuredRunId(String model, String quant, String sessionId, int repetition) {
        return measuredRunId(model, quant, null, sessionId, repetition);
    }

    /**
     * The id of a measured run: {@code model/quant/session/rN}, and {@code model/quant@context/session/rN} in a
     * context sweep.
     */
    public static String measuredRunId(String model, String quant, @org.jspecify.annotations.Nullable Integer context,
            String sessionId, int repetition) {
        return SweepCell.key(model, quant, context) + "/" + sessionId + "/r" + repetition;
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
