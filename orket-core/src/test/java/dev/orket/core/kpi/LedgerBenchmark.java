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
import java.util.Random;

/**
 * Benchmark, not a test: generates a JSONL ledger of N run telemetry records (default 1,000,000) and
 * aggregates it, printing records/s, elapsed seconds and heap. Run with {@code -Xmx256m}; see
 * {@code docs/kpis.md} for the command.
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
            System.gc();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            long start = System.nanoTime();
            KpiSummary summary = KpiAggregator.aggregateLedger(ledger, QualityScores.none(), RunPolicy.DEFAULT);
            double seconds = (System.nanoTime() - start) / 1e9;
            long peakHeap = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peakHeap += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf("aggregated %,d records (%,d valid) into %d cells in %.2f s: %,.0f records/s%n",
                    summary.totalRuns(), summary.validRuns(), summary.cells().size(), seconds,
                    summary.totalRuns() / seconds);
            System.out.printf("heap: max %,d MiB, peak used during aggregation %,d MiB (sum of pool peaks)%n",
                    Runtime.getRuntime().maxMemory() >> 20, peakHeap >> 20);
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
