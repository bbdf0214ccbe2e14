package dev.orket.core.recommend;

import dev.orket.core.kpi.CellKpis;
import dev.orket.core.kpi.KpiSummary;
import dev.orket.core.kpi.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Judges each (model, quant, context) cell of a context sweep against its profile's thresholds and finds each quant's
 * context ceiling: the largest context that passes, null when none does ({@code docs/sweep.md#context-sweeps}).
 *
 * <p>A context passes when its cell ran and was not blocked, has valid runs, and the medians of its valid runs
 * meet every threshold: median adherence (the {@code quality_score}) at least {@code adherence_min}, median client
 * TTFT at most {@code ttft_ceiling_ms}, median generation tokens per second at least {@code decode_floor_tps}. A
 * missing median fails with its own reason: unknown never passes. Reasons, in this order: {@code cell_blocked},
 * {@code no_valid_runs}, {@code adherence_unavailable} or {@code adherence_below_min}, {@code ttft_unavailable} or
 * {@code ttft_above_ceiling}, {@code decode_unavailable} or {@code decode_below_floor}.
 *
 * @since 0.1
 */
public final class ContextCeilings {

    private ContextCeilings() {}

    /**
     * One planned cell of a context sweep.
     *
     * @param model the model
     * @param quantTag the quant tag
     * @param context the context in tokens
     */
    public record PlannedCell(String model, String quantTag, int context) {
        public PlannedCell {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(quantTag, "quantTag");
            if (context <= 0) {
                throw new IllegalArgumentException("context must be > 0 but was " + context);
            }
        }

        /** The cell's key in artifacts: {@code model/quant@context}. */
        public String key() {
            return model + "/" + quantTag + "@" + context;
        }
    }

    /**
     * The verdict on one context of one quant.
     *
     * @param context the context in tokens
     * @param passed whether every threshold was met
     * @param reasons why it failed, in the documented order; empty when it passed
     * @param blockedReason the reason the cell was blocked ({@code blocked_cells.json}), or null
     * @param medianAdherence median quality score of its valid runs, or null
     * @param medianTtftMs median client TTFT of its valid runs, or null
     * @param medianDecodeTps median generation tokens per second of its valid runs, or null
     * @param medianPeakVramUsedMb median peak VRAM of its valid runs, or null
     * @param totalRuns measured runs recorded (each run's last attempt)
     * @param validRuns of those, valid runs
     */
    public record PerContext(int context, boolean passed, List<String> reasons, @Nullable String blockedReason,
            @Nullable Double medianAdherence, @Nullable Double medianTtftMs, @Nullable Double medianDecodeTps,
            @Nullable Double medianPeakVramUsedMb, long totalRuns, long validRuns) {
        public PerContext {
            reasons = List.copyOf(reasons);
            if (passed != reasons.isEmpty()) {
                throw new IllegalArgumentException("a context passes exactly when it has no failure reason but was "
                        + passed + " with " + reasons);
            }
        }
    }

    /**
     * How far one quant's context goes.
     *
     * @param model the model
     * @param quantTag the quant tag
     * @param contextCeiling the largest context that passed, or null when none did
     * @param perContext each planned context, ascending
     */
    public record Ceiling(String model, String quantTag, @Nullable Integer contextCeiling,
            List<PerContext> perContext) {
        public Ceiling {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(quantTag, "quantTag");
            perContext = List.copyOf(perContext);
        }
    }

    /**
     * A context sweep's verdicts.
     *
     * @param thresholds what each context had to reach
     * @param ceilings one per (model, quant), in plan order
     */
    public record Result(ContextThresholds thresholds, List<Ceiling> ceilings) {
        public Result {
            Objects.requireNonNull(thresholds, "thresholds");
            ceilings = List.copyOf(ceilings);
        }
    }

    /**
     * Judges every planned cell.
     *
     * @param kpis the sweep's KPIs; its cells are matched by model, quant tag and context
     * @param thresholds the profile's thresholds
     * @param planned the sweep's cells, in plan order (models, then quants, then contexts)
     * @param blocked the blocked cells by key ({@code model/quant@context}) and reason
     * @return one ceiling per (model, quant), in plan order, each with its contexts ascending
     */
    public static Result judge(KpiSummary kpis, ContextThresholds thresholds, List<PlannedCell> planned,
            Map<String, String> blocked) {
        Map<String, CellKpis> byKey = new LinkedHashMap<>();
        for (CellKpis cell : kpis.cells()) {
            if (cell.key().quantTag() != null && cell.key().context() != null) {
                byKey.put(new PlannedCell(cell.key().model(), cell.key().quantTag(), cell.key().context()).key(),
                        cell);
            }
        }
        Map<String, List<PlannedCell>> byQuant = new LinkedHashMap<>();
        for (PlannedCell cell : planned) {
            byQuant.computeIfAbsent(cell.model() + "/" + cell.quantTag(), k -> new ArrayList<>()).add(cell);
        }
        List<Ceiling> ceilings = new ArrayList<>();
        for (List<PlannedCell> cells : byQuant.values()) {
            List<PlannedCell> ordered = new ArrayList<>(cells);
            ordered.sort(java.util.Comparator.comparingInt(PlannedCell::context));
            List<PerContext> perContext = new ArrayList<>();
            Integer ceiling = null;
            for (PlannedCell cell : ordered) {
                PerContext verdict = judge(cell, byKey.get(cell.key()), blocked.get(cell.key()), thresholds);
                perContext.add(verdict);
                if (verdict.passed()) {
                    ceiling = cell.context();
                }
            }
            PlannedCell first = ordered.get(0);
            ceilings.add(new Ceiling(first.model(), first.quantTag(), ceiling, perContext));
        }
        return new Result(thresholds, ceilings);
    }

    private static PerContext judge(PlannedCell cell, @Nullable CellKpis kpis, @Nullable String blockedReason,
            ContextThresholds t) {
        List<String> reasons = new ArrayList<>();
        if (blockedReason != null) {
            reasons.add("cell_blocked");
        }
        long valid = kpis == null ? 0 : kpis.validRuns();
        if (valid == 0) {
            reasons.add("no_valid_runs");
        }
        Double adherence = kpis == null ? null : kpis.median(Metric.QUALITY_SCORE);
        Double ttft = kpis == null ? null : kpis.median(Metric.CLIENT_TTFT_MS);
        Double decode = kpis == null ? null : kpis.median(Metric.GENERATION_TOKENS_PER_SECOND);
        Double vram = kpis == null ? null : kpis.median(Metric.PEAK_VRAM_USED_MB);
        if (valid > 0) {
            if (adherence == null) {
                reasons.add("adherence_unavailable");
            } else if (adherence < t.adherenceMin()) {
                reasons.add("adherence_below_min");
            }
            if (ttft == null) {
                reasons.add("ttft_unavailable");
            } else if (ttft > t.ttftCeilingMs()) {
                reasons.add("ttft_above_ceiling");
            }
            if (decode == null) {
                reasons.add("decode_unavailable");
            } else if (decode < t.decodeFloorTps()) {
                reasons.add("decode_below_floor");
            }
        }
        return new PerContext(cell.context(), reasons.isEmpty(), reasons, blockedReason, adherence, ttft, decode, vram,
                kpis == null ? 0 : kpis.totalRuns(), valid);
    }
}
