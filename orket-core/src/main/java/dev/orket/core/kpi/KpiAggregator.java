package dev.orket.core.kpi;

import dev.orket.api.HardwareFlag;
import dev.orket.api.RunTelemetry;
import dev.orket.api.ThrottleReason;
import dev.orket.api.RunValidity;
import dev.orket.core.artifact.ArtifactFormatException;
import dev.orket.core.policy.RunPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Aggregates run telemetry into per-cell KPIs, one run at a time. Validity is judged again by
 * {@link dev.orket.core.policy.ValidRunPolicy} for every run; invalid runs never enter a cell's KPIs, whatever the caller
 * asks, and are kept apart as marked rows for views. Memory grows with the number of cells, not
 * runs: each metric of each cell keeps at most {@link ValueDistribution#EXACT_LIMIT} values, then a
 * bounded sketch. Not thread-safe.
 *
 * @since 0.1
 */
public final class KpiAggregator {

    private final RunPolicy policy;
    private final Map<CellKey, Cell> cells = new HashMap<>();
    private long totalRuns;
    private long validRuns;

    /** An aggregator judging runs under the given policy. */
    public KpiAggregator(RunPolicy policy) {
        this.policy = policy;
    }

    /**
     * Reads a JSONL run ledger (one run telemetry object per line) as a stream and aggregates it, each
     * run counted once by its last attempt ({@link #readLedger}).
     *
     * @param ledger the ledger file
     * @param scores the per-run quality scores, joined by run id; called from several threads
     * @param policy the policy judging the runs
     * @throws ArtifactFormatException naming the line when a record cannot be read
     * @throws UncheckedIOException when the file cannot be read
     */
    public static KpiSummary aggregateLedger(Path ledger, QualityScores scores, RunPolicy policy) {
        return readLedger(ledger, scores, policy, LedgerCheck.NONE).kpis();
    }

    /**
     * Reads a JSONL run ledger in two streaming passes and aggregates it: each run counts once, by its
     * last attempt; a line repeating an earlier line byte for byte is ignored and reported; two different
     * lines for one run and attempt are an error naming both; a record of another sweep is refused; planned
     * runs the ledger lacks are reported (docs/kpis.md).
     *
     * @param ledger the ledger file
     * @param scores the per-run quality scores, joined by run id; where it has none for a run, the line's own
     *     {@code quality_score} (written by the sweep ledger) is used
     * @param policy the policy judging the runs
     * @param check the sweep and plan the ledger is checked against
     * @throws ArtifactFormatException naming the line(s) when a record cannot be read or breaks a rule
     * @throws UncheckedIOException when the file cannot be read
     */
    public static LedgerReading readLedger(Path ledger, QualityScores scores, RunPolicy policy, LedgerCheck check) {
        return readLedger(ledger, scores, policy, check, Runtime.getRuntime().availableProcessors());
    }

    /**
     * {@link #readLedger(Path, QualityScores, RunPolicy, LedgerCheck)} on up to {@code threads} threads: the
     * file is split into chunks at line starts, each thread aggregates chunks into its own cells, and the
     * cells are merged at the end. What it returns, and the error it throws, are exactly those of reading
     * the ledger sequentially ({@link #addLedger}): a ledger whose run ids repeat (attempts, duplicate lines),
     * or with any line the chunked pass cannot read exactly, is read sequentially. Memory: one set of cells
     * per thread ({@code docs/kpis.md}).
     *
     * @param scores the per-run quality scores; must be safe to call from several threads
     *     ({@link QualityScores#of} and {@link QualityScores#none} are)
     * @param threads the most threads to use, at least 1
     * @throws UncheckedIOException also when the calling thread was interrupted (its flag is set again)
     */
    public static LedgerReading readLedger(Path ledger, QualityScores scores, RunPolicy policy, LedgerCheck check,
            int threads) {
        return new ParallelLedgerReader(ledger, scores, policy, check).read(threads).reading();
    }

    /**
     * Adds every run of a JSONL ledger, each once by its last attempt; see {@link #readLedger}.
     *
     * @return what reading found, with the KPIs of everything added so far
     */
    public LedgerReading addLedger(Path ledger, QualityScores scores, LedgerCheck check) {
        try {
            return new LedgerReader(ledger, check).readInto(this, scores);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ledger " + ledger + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds one run.
     *
     * @param run the run's telemetry
     * @param qualityScore the run's quality score in [0, 1], or null when it was not scored
     */
    public void add(RunTelemetry run, @Nullable Double qualityScore) {
        addSample(RunSample.of(run), qualityScore);
    }

    void addSample(RunSample run, @Nullable Double qualityScore) {
        if (qualityScore != null && !(qualityScore >= 0 && qualityScore <= 1)) {
            throw new IllegalArgumentException("quality score of run " + run.runId + " must be in [0, 1] but was "
                    + qualityScore);
        }
        RunValidity validity = run.validity;
        Cell cell = cells.computeIfAbsent(run.cellKey(), key -> new Cell());
        totalRuns++;
        if (validity.valid()) {
            validRuns++;
            cell.valid.add(run, qualityScore);
        } else {
            for (String reason : validity.invalidReasons()) {
                cell.excludedByReason.merge(reason, 1L, Long::sum);
            }
            Rows invalid = cell.invalid;
            if (invalid == null) {
                invalid = new Rows();
                cell.invalid = invalid;
            }
            invalid.add(run, qualityScore);
        }
    }

    /**
     * Adds everything {@code other} has aggregated, leaving it unchanged in count but sharing nothing
     * the caller may still change: the summary is the one adding the same runs to this aggregator,
     * in any order, would give. This is what lets a ledger be aggregated in chunks in parallel.
     *
     * @throws IllegalArgumentException when the two aggregators judge runs under different policies
     */
    public void merge(KpiAggregator other) {
        if (!policy.equals(other.policy)) {
            throw new IllegalArgumentException("cannot merge KPIs judged under policy " + other.policy.version()
                    + " into KPIs judged under policy " + policy.version() + "; aggregate both under one policy");
        }
        totalRuns += other.totalRuns;
        validRuns += other.validRuns;
        for (Map.Entry<CellKey, Cell> entry : other.cells.entrySet()) {
            Cell from = entry.getValue();
            Cell into = cells.computeIfAbsent(entry.getKey(), key -> new Cell());
            into.valid.merge(from.valid);
            Rows fromInvalid = from.invalid;
            if (fromInvalid != null) {
                Rows intoInvalid = into.invalid;
                if (intoInvalid == null) {
                    intoInvalid = new Rows();
                    into.invalid = intoInvalid;
                }
                intoInvalid.merge(fromInvalid);
            }
            from.excludedByReason.forEach((reason, count) -> into.excludedByReason.merge(reason, count, Long::sum));
        }
    }

    /** The KPIs of every cell seen so far. */
    public KpiSummary summary() {
        return summary(false);
    }

    /**
     * The KPIs of every cell, each cell's figures computed on the common fork-join pool when
     * {@code parallel}: a cell's median intervals sum binomial tails over up to 10,000 terms, which for
     * a hundred full cells is a tenth of a second that the chunked reader would otherwise spend alone.
     * Cells share nothing, so the result is the same either way.
     */
    KpiSummary summary(boolean parallel) {
        List<Map.Entry<CellKey, Cell>> entries = new ArrayList<>(new TreeMap<>(cells).entrySet());
        CellKpis[] valid = new CellKpis[entries.size()];
        CellKpis[] invalid = new CellKpis[entries.size()];
        IntStream indexes = IntStream.range(0, entries.size());
        (parallel ? indexes.parallel() : indexes).forEach(i -> {
            Map.Entry<CellKey, Cell> entry = entries.get(i);
            Cell cell = entry.getValue();
            long invalidCount = cell.invalid == null ? 0 : cell.invalid.runs;
            long total = cell.valid.runs + invalidCount;
            valid[i] = cell.valid.kpis(entry.getKey(), RowKind.VALID_RUNS, total, cell.valid.runs, invalidCount,
                    cell.excludedByReason);
            Rows invalidRows = cell.invalid;
            if (invalidRows != null) {
                invalid[i] = invalidRows.kpis(entry.getKey(), RowKind.INVALID_RUNS, total, cell.valid.runs,
                        invalidCount, cell.excludedByReason);
            }
        });
        List<CellKpis> invalidRowsInOrder = new ArrayList<>();
        for (CellKpis row : invalid) {
            if (row != null) {
                invalidRowsInOrder.add(row);
            }
        }
        return new KpiSummary(policy.version(), totalRuns, validRuns, Arrays.asList(valid), invalidRowsInOrder);
    }

    private static final class Cell {
        final Rows valid = new Rows();
        @Nullable Rows invalid;
        final Map<String, Long> excludedByReason = new HashMap<>();
    }

    /** The metric distributions of one kind of run of a cell. */
    private static final class Rows {
        final EnumMap<Metric, ValueDistribution> values = new EnumMap<>(Metric.class);
        final EnumMap<HardwareFlag, Long> flagged = new EnumMap<>(HardwareFlag.class);
        final java.util.Set<ThrottleReason> throttles = java.util.EnumSet.noneOf(ThrottleReason.class);
        long runs;
        long withoutScore;

        Rows() {
            for (Metric metric : Metric.values()) {
                values.put(metric, new ValueDistribution());
            }
        }

        void add(RunSample run, @Nullable Double qualityScore) {
            runs++;
            for (HardwareFlag flag : run.hardwareFlags) {
                flagged.merge(flag, 1L, Long::sum);
            }
            throttles.addAll(run.throttleReasons);
            put(Metric.CLIENT_TTFT_MS, run, run.clientTtftMs);
            put(Metric.GENERATION_TOKENS_PER_SECOND, run, run.generationTokensPerSecond);
            put(Metric.PROMPT_TOKENS_PER_SECOND, run, run.promptTokensPerSecond);
            put(Metric.WALL_SECONDS, run, run.wallSeconds);
            put(Metric.ORCHESTRATION_OVERHEAD_RATIO, run, run.overheadRatio);
            put(Metric.PEAK_VRAM_USED_MB, run, run.peakVramMb);
            if (qualityScore == null) {
                withoutScore++;
            } else {
                put(Metric.QUALITY_SCORE, run, qualityScore);
            }
        }

        void merge(Rows other) {
            runs += other.runs;
            withoutScore += other.withoutScore;
            other.flagged.forEach((flag, count) -> flagged.merge(flag, count, Long::sum));
            throttles.addAll(other.throttles);
            for (Map.Entry<Metric, ValueDistribution> entry : other.values.entrySet()) {
                ValueDistribution into = values.get(entry.getKey());
                if (into == null) {
                    throw new AssertionError(entry.getKey());
                }
                into.merge(entry.getValue());
            }
        }

        /** Adds a figure; NaN (absent, inside RunSample only) adds nothing. */
        private void put(Metric metric, RunSample run, double v) {
            if (Double.isNaN(v)) {
                return;
            }
            if (v < 0 || Double.isInfinite(v)) {
                throw new ArtifactFormatException("run " + run.runId + ": " + metric.jsonName()
                        + " must be finite and >= 0 but was " + v);
            }
            ValueDistribution distribution = values.get(metric);
            if (distribution == null) {
                throw new AssertionError(metric);
            }
            distribution.add(v);
        }

        CellKpis kpis(CellKey key, RowKind kind, long total, long valid, long invalid, Map<String, Long> excluded) {
            EnumMap<Metric, MetricSummary> summaries = new EnumMap<>(Metric.class);
            for (Map.Entry<Metric, ValueDistribution> entry : values.entrySet()) {
                summaries.put(entry.getKey(), MetricSummary.of(entry.getKey(), entry.getValue()));
            }
            return new CellKpis(key, kind, total, valid, invalid, excluded, withoutScore, summaries, flagged,
                    List.copyOf(throttles));
        }
    }
}
