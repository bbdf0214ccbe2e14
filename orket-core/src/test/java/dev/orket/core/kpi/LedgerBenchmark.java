package dev.orket.core.kpi;

import dev.orket.api.ExecutionLane;
import dev.orket.api.RunQualityReason;
import dev.orket.api.VramProfile;
import dev.orket.core.artifact.TelemetryJson;
import dev.orket.core.policy.RunPolicy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Benchmark, not a test: generates a JSONL ledger of N run telemetry records (default 1,000,000) and
 * aggregates it, printing records/s, elapsed seconds and heap, then runs the same grouping in DuckDB
 * (through JDBC, when its driver is on the class path) on the same file in the same JVM: a warm-up
 * round, then rounds in alternating order, each with wall and process CPU time, and both medians. Arguments: records, ledger path, Orket threads (default: the
 * processors), rounds (3), DuckDB threads (2). Run with {@code -Xmx256m}; see {@code docs/kpis.md}.
 */
public final class LedgerBenchmark {

    private static final String[] MODELS = {"llama-3.1-8b", "qwen2.5-7b", "mistral-7b", "gemma-2-9b"};
    private static final String[] QUANTS = {"F16", "Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "IQ4_XS"};

    private LedgerBenchmark() {}

    public static void main(String[] args) throws IOException {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        // With a path: generate there once and keep it, reusing it on later runs.
        Path ledger = args.length > 1 ? Path.of(args[1]) : Files.createTempFile("orket-ledger", ".jsonl");
        if (args.length > 1 && !Files.exists(ledger)) {
            Files.createFile(ledger);
        }
        boolean keep = args.length > 1;
        try {
            if (keep && Files.size(ledger) > 0) {
                System.out.printf("reusing %s (%,d bytes)%n", ledger, Files.size(ledger));
            } else {
                long genStart = System.nanoTime();
                long bytes = generate(ledger, records);
                System.out.printf("generated %,d records (%,d bytes) in %.1f s%n", records, bytes,
                        (System.nanoTime() - genStart) / 1e9);
            }
            int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
            int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
            int duckThreads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds must be at least 1 but was " + rounds);
            }
            List<double[]> orket = new ArrayList<>();
            List<double[]> duck = new ArrayList<>();
            KpiSummary summary = null;
            boolean duckAvailable = true;
            // Round 0 warms both up (JIT, page cache, DuckDB's library) and is reported apart; then the
            // order alternates so that neither always runs on the cache the other left.
            for (int round = 0; round <= rounds; round++) {
                boolean orketFirst = round % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    if ((k == 0) == orketFirst) {
                        System.gc();
                        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                            pool.resetPeakUsage();
                        }
                        long cpu = processCpuNanos();
                        long start = System.nanoTime();
                        summary = KpiAggregator.readLedger(ledger, QualityScores.none(), RunPolicy.DEFAULT,
                                LedgerCheck.NONE, threads).kpis();
                        double seconds = (System.nanoTime() - start) / 1e9;
                        double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
                        long peakHeap = 0;
                        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                            if (pool.getType() == MemoryType.HEAP) {
                                peakHeap += pool.getPeakUsage().getUsed();
                            }
                        }
                        System.out.printf("round %d orket : %,d records (%,d valid), %d cells: %.2f s wall, %.2f s CPU"
                                + " on %d threads (%,.0f records/s); heap max %,d MiB, peak used %,d MiB%s%n", round,
                                summary.totalRuns(), summary.validRuns(), summary.cells().size(), seconds, cpuSeconds,
                                threads, summary.totalRuns() / seconds, Runtime.getRuntime().maxMemory() >> 20,
                                peakHeap >> 20, round == 0 ? " (warm-up)" : "");
                        if (round > 0) {
                            orket.add(new double[] {seconds, cpuSeconds});
                        }
                    } else if (duckAvailable && summary != null) {
                        double[] figures = duckDb(ledger, duckThreads, summary, round);
                        if (figures == null) {
                            duckAvailable = false;
                        } else if (round > 0) {
                            duck.add(figures);
                        }
                    }
                }
            }
            if (summary == null) {
                throw new AssertionError("no round ran");
            }
            System.out.printf("median over %d rounds: orket %.2f s wall, %.2f s CPU (%d threads)%n", rounds,
                    median(orket, 0), median(orket, 1), threads);
            if (!duck.isEmpty()) {
                System.out.printf("median over %d rounds: duckdb %.2f s wall, %.2f s CPU (%d threads); orket/duckdb wall"
                        + " %.2f, CPU %.2f%n", rounds, median(duck, 0), median(duck, 1), duckThreads,
                        median(orket, 0) / median(duck, 0), median(orket, 1) / median(duck, 1));
            }
            CellKpis first = summary.cells().get(0);
            MetricSummary speed = first.metric(Metric.GENERATION_TOKENS_PER_SECOND);
            System.out.printf("first cell %s/%s: n=%d median tokens/s %.2f, CI %s, estimator %s%n", first.key().model(),
                    first.key().quantTag(), speed.n(), speed.median(), speed.medianInterval(),
                    speed.estimator().jsonName());
        } finally {
            if (!keep) {
                Files.deleteIfExists(ledger);
            }
        }
    }

    /** The DuckDB query of docs/kpis.md, with the file's path: the same grouping and lower medians as Orket's. */
    static String duckDbQuery(Path ledger) {
        return "SELECT coalesce(model_family, model) AS model, quant_tag, execution_lane, vram_profile,\n"
                + "  count(*) AS total_runs, count(*) FILTER (WHERE valid) AS valid_runs,\n"
                + "  quantile_disc(client_ttft_ms, 0.5) FILTER (WHERE valid) AS client_ttft_ms,\n"
                + "  quantile_disc(generation_tokens_per_second, 0.5) FILTER (WHERE valid) AS generation_tokens_per_second,\n"
                + "  quantile_disc(prompt_tokens_per_second, 0.5) FILTER (WHERE valid) AS prompt_tokens_per_second,\n"
                + "  quantile_disc(wall_seconds, 0.5) FILTER (WHERE valid) AS wall_seconds,\n"
                + "  quantile_disc(orchestration_overhead_ratio, 0.5) FILTER (WHERE valid) AS orchestration_overhead_ratio,\n"
                + "  quantile_disc(sidecar.peak_vram_used_mb, 0.5) FILTER (WHERE valid) AS peak_vram_used_mb\n"
                + "FROM read_json('" + ledger.toAbsolutePath().toString().replace("'", "''") + "',\n"
                + "  format = 'newline_delimited',\n"
                + "  columns = {model: 'VARCHAR', model_family: 'VARCHAR', quant_tag: 'VARCHAR',\n"
                + "    execution_lane: 'VARCHAR', vram_profile: 'VARCHAR', valid: 'BOOLEAN',\n"
                + "    client_ttft_ms: 'DOUBLE', generation_tokens_per_second: 'DOUBLE',\n"
                + "    prompt_tokens_per_second: 'DOUBLE', wall_seconds: 'DOUBLE',\n"
                + "    orchestration_overhead_ratio: 'DOUBLE', sidecar: 'STRUCT(peak_vram_used_mb BIGINT)'})\n"
                + "GROUP BY ALL ORDER BY ALL";
    }

    /**
     * Times the DuckDB query on the ledger through JDBC and compares its medians with Orket's; null
     * when the DuckDB driver is not on the class path (run with {@code -Pbenchmark}).
     */
    private static double @Nullable [] duckDb(Path ledger, int threads, KpiSummary orket, int round) {
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:duckdb:");
        } catch (SQLException e) {
            System.out.println("duckdb: no driver on the class path (" + e.getMessage()
                    + "); build the class path with -Pbenchmark, see docs/kpis.md");
            return null;
        }
        try (connection;
                Statement statement = connection.createStatement()) {
            statement.execute("SET threads = " + threads);
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            int rows = 0;
            double worst = 0;
            long totalRuns = 0;
            try (ResultSet r = statement.executeQuery(duckDbQuery(ledger))) {
                while (r.next()) {
                    rows++;
                    totalRuns += r.getLong("total_runs");
                    CellKey key = new CellKey(r.getString("model"), r.getString("quant_tag"),
                            ExecutionLane.fromJson(r.getString("execution_lane")),
                            VramProfile.fromJson(r.getString("vram_profile")));
                    for (CellKpis cell : orket.cells()) {
                        if (cell.key().equals(key)) {
                            double theirs = r.getDouble("generation_tokens_per_second");
                            double ours = cell.metric(Metric.GENERATION_TOKENS_PER_SECOND).median();
                            worst = Math.max(worst, Math.abs(ours - theirs) / theirs);
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
            System.out.printf("round %d duckdb: %,d records, %d groups: %.2f s wall, %.2f s CPU on %d threads; largest"
                    + " relative difference of median generation tokens/s from orket's: %.4f %%%s%n", round, totalRuns,
                    rows, seconds, cpuSeconds, threads, worst * 100, round == 0 ? " (warm-up)" : "");
            return new double[] {seconds, cpuSeconds};
        } catch (SQLException e) {
            throw new IllegalStateException("duckdb query failed: " + e.getMessage(), e);
        }
    }

    /** The lower median of one column of the rounds' figures. */
    private static double median(List<double[]> rounds, int column) {
        List<Double> sorted = new ArrayList<>();
        for (double[] round : rounds) {
            sorted.add(round[column]);
        }
        Collections.sort(sorted);
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** CPU time of the whole process, every thread (DuckDB's native ones and the JIT's included). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long generate(Path ledger, long records) throws IOException {
        Random random = new Random(7);
        long bytes = 0;
        try (BufferedWriter out = Files.newBufferedWriter(ledger, StandardCharsets.UTF_8)) {
            for (long i = 0; i < records; i++) {
                int model = random.nextInt(MODELS.length);
                int quant = random.nextInt(QUANTS.length);
                double base = 40 + 15 * quant + 5 * model;
                TestRuns run = TestRuns.run("run-" + i)
                        .model(MODELS[model])
                        .quant(QUANTS[quant])
                        .lane(random.nextBoolean() ? ExecutionLane.LAB : ExecutionLane.CI)
                        .profile(random.nextBoolean() ? VramProfile.BALANCED : VramProfile.SAFE)
                        .speed(Math.max(0.1, base + random.nextGaussian() * 3))
                        .promptSpeed(800 + random.nextGaussian() * 40)
                        .ttft(Math.abs(30 + random.nextGaussian() * 5))
                        .wall(Math.abs(2 + random.nextGaussian() * 0.2))
                        .overhead(Math.min(1, Math.abs(random.nextGaussian() * 0.05)))
                        .vram(3000L + 700L * (QUANTS.length - quant) + random.nextInt(50));
                if (random.nextInt(20) == 0) {
                    run.polluted(RunQualityReason.COLD_MODEL_LOAD);
                }
                String line = TelemetryJson.toJson(run.build());
                bytes += line.length() + 1;
                out.write(line);
                out.write('\n');
            }
        }
        return bytes;
    }
}
