package dev.orket.core.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.orket.api.ExecutionLane;
import dev.orket.api.RunQualityReason;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.api.VramProfile;
import dev.orket.core.artifact.TelemetryJson;
import dev.orket.core.policy.RunPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The chunked, parallel ledger reader gives exactly what the sequential Jackson reader gives: the
 * same summary over random ledgers and random split points, the same fields record by record, and
 * the same error for a ledger with a bad line.
 */
class ParallelLedgerReaderProperties {

    private static final String[] MODELS = {"llama", "qwen", "mod\\u00e8le", "mo\\\"del", "modèle"};
    private static final String[] SCORE_TEXTS = {"0.5", "5e-1", "5.0E-1", "1", "0", "-0", "0.30000000000000004",
        "1.0e0", "0.12345678901234567"};

    @Property(tries = 60)
    @Label("chunked on any threads at any split points == sequential, over random ledgers and checks")
    void chunkedEqualsSequential(@ForAll long seed, @ForAll @Size(max = 8) List<@IntRange(max = 1_000_000) Integer> splits,
            @ForAll @IntRange(min = 1, max = 4) int threads) throws IOException {
        Random random = new Random(seed);
        // Few cells and up to 2,500 runs: cells cross the exact limit, so sketches are merged too.
        int records = random.nextInt(4) == 0 ? random.nextInt(2_500) : random.nextInt(200);
        boolean repeats = records > 0 && random.nextInt(5) == 0;
        Ledger ledger = ledger(random, records, repeats);
        LedgerCheck check = check(random, records);
        Path file = write(ledger.text);
        try {
            long size = Files.size(file);
            List<Long> offsets = new ArrayList<>();
            for (int split : splits) {
                offsets.add(size * split / 1_000_000);
            }
            LedgerReading sequential = new KpiAggregator(RunPolicy.DEFAULT).addLedger(file, ledger.scores, check);
            ParallelLedgerReader.Outcome chunked =
                    new ParallelLedgerReader(file, ledger.scores, RunPolicy.DEFAULT, check).read(offsets, threads);
            assertThat(chunked.readSequentially()).as("read in chunks unless run ids repeat").isEqualTo(repeats);
            assertThat(chunked.reading()).isEqualTo(sequential);
            assertThat(KpiAggregator.readLedger(file, ledger.scores, RunPolicy.DEFAULT, check, threads))
                    .isEqualTo(sequential);
        } finally {
            Files.delete(file);
        }
    }

    /** No check, the sweep's id, or the sweep's id and a plan missing some runs and lacking others. */
    private static LedgerCheck check(Random random, int records) {
        switch (random.nextInt(3)) {
            case 0:
                return LedgerCheck.NONE;
            case 1:
                return new LedgerCheck("sweep-1", null);
            default:
                Set<String> planned = new HashSet<>();
                for (int i = 0; i < records + 3; i++) {
                    if (random.nextInt(4) > 0) {
                        planned.add("run-" + i);
                    }
                }
                return new LedgerCheck("sweep-1", planned);
        }
    }

    @Property(tries = 100)
    @Label("the byte-level scanner reads exactly Jackson's fields, record after record, and every record TelemetryJson"
            + " writes")
    void scannerAgreesWithJackson(@ForAll long seed) throws IOException {
        Random random = new Random(seed);
        // One scanner for the whole sequence: what it remembers of earlier records (their shape) must never
        // change what it reads from a later one.
        LedgerLineScanner scanner = new LedgerLineScanner();
        for (int i = 0; i < 40; i++) {
            boolean plain = random.nextInt(3) > 0;
            String line = plain ? TelemetryJson.toJson(randomRun(random, "r" + seed + "-" + i).build())
                    : record(random, "r" + seed + "-" + i);
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            RunSample fast = new RunSample();
            int status = scanner.read(bytes, 0, bytes.length, fast);
            RunSample jackson = new RunSample();
            try (JsonParser parser = new JsonFactory().createParser(bytes)) {
                parser.nextToken();
                new LedgerScanner().read(parser, jackson);
            }
            if (plain && line.chars().allMatch(c -> c < 0x80 && c != '\\')) {
                assertThat(status).as("a record as TelemetryJson writes it takes the fast path: " + line).isEqualTo(1);
            }
            if (status == 1) {
                assertThat(scanner.position()).as("stops at the end of the object").isEqualTo(bytes.length);
                assertThat(describe(fast)).as(line).isEqualTo(describe(jackson));
            }
        }
    }

    @Property(tries = 60)
    @Label("a ledger with a bad line fails (or passes) exactly as the sequential reader does")
    void badLineSameOutcome(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int threads) throws IOException {
        Random random = new Random(seed);
        Ledger ledger = ledger(random, 1 + random.nextInt(60), false);
        String[] lines = ledger.text.split("\n", -1);
        int bad = random.nextInt(lines.length);
        lines[bad] = corrupt(random, lines[bad]);
        Path file = write(String.join("\n", lines));
        try {
            String sequential = outcome(() -> new KpiAggregator(RunPolicy.DEFAULT).addLedger(file, ledger.scores,
                    LedgerCheck.NONE));
            String chunked = outcome(() -> new ParallelLedgerReader(file, ledger.scores, RunPolicy.DEFAULT,
                    LedgerCheck.NONE).read(List.of(Files.size(file) / 3, Files.size(file) * 2 / 3), threads)
                    .reading());
            assertThat(chunked).isEqualTo(sequential);
        } finally {
            Files.delete(file);
        }
    }

    @net.jqwik.api.Example
    @Label("an empty ledger, and one of blank lines only, aggregate to no run, in chunks as sequentially")
    void emptyLedgers() throws IOException {
        for (String text : List.of("", "\n  \n\r\n")) {
            Path file = write(text);
            try {
                LedgerReading sequential = new KpiAggregator(RunPolicy.DEFAULT).addLedger(file, QualityScores.none(),
                        LedgerCheck.NONE);
                assertThat(new ParallelLedgerReader(file, QualityScores.none(), RunPolicy.DEFAULT, LedgerCheck.NONE)
                        .read(List.of(1L), 2).reading()).isEqualTo(sequential);
                assertThat(sequential.kpis().totalRuns()).isZero();
            } finally {
                Files.delete(file);
            }
        }
    }

    private interface Aggregation {
        LedgerReading run() throws IOException;
    }

    private static String outcome(Aggregation aggregation) {
        try {
            return aggregation.run().toString();
        } catch (RuntimeException | IOException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static String corrupt(Random random, String line) {
        switch (random.nextInt(5)) {
            case 0:
                return line.substring(0, random.nextInt(line.length() + 1));
            case 1:
                return line.replace("\"wall_seconds\":", "\"wall_seconds\":\"slow\",\"x\":");
            case 2:
                return line + " x";
            case 3:
                return line.replace("\"valid\":", "\"valid\":1,\"y\":");
            default:
                // Splits an object over two lines: JSON text, but not one object a line.
                return line.replace(",\"model\":", ",\n\"model\":");
        }
    }

    private record Ledger(String text, QualityScores scores) {}

    private static Ledger ledger(Random random, int records, boolean repeats) {
        StringBuilder text = new StringBuilder();
        Map<String, Double> scores = new HashMap<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            String runId = "run-" + i;
            if (random.nextInt(8) == 0) {
                scores.put(runId, random.nextInt(11) / 10.0);
            }
            lines.add(random.nextInt(3) == 0 ? record(random, runId)
                    : TelemetryJson.toJson(randomRun(random, runId).build()));
        }
        if (repeats) {
            // A byte-identical repeat of some line, and a second attempt of another run.
            lines.add(lines.get(random.nextInt(lines.size())));
            String retried = TelemetryJson.toJson(randomRun(random, "run-" + random.nextInt(records)).build());
            lines.add(retried.substring(0, retried.length() - 1) + ",\"attempt\":2}");
        }
        for (String line : lines) {
            text.append(line);
            // Blanks after a record change its bytes: not where a byte-identical repeat is wanted.
            switch (random.nextInt(repeats ? 2 : 10)) {
                case 0:
                    text.append("\r\n");
                    break;
                case 1:
                    text.append("\n  \n");
                    break;
                case 2:
                    text.append(" \t\n");
                    break;
                default:
                    text.append('\n');
            }
        }
        if (!lines.isEmpty() && random.nextBoolean()) {
            // No line break after the last record.
            text.setLength(text.length() - 1);
        }
        return new Ledger(text.toString(), QualityScores.of(scores));
    }

    private static TestRuns randomRun(Random random, String runId) {
        TestRuns run = TestRuns.run(runId)
                .model(random.nextInt(6) == 0 ? MODELS[random.nextInt(MODELS.length)] : "m" + random.nextInt(2))
                .quant(random.nextInt(8) == 0 ? null : "Q" + random.nextInt(3))
                .context(random.nextInt(3) == 0 ? null : 512 << random.nextInt(2))
                .lane(random.nextBoolean() ? ExecutionLane.CI : ExecutionLane.LAB)
                .profile(VramProfile.values()[random.nextInt(2)])
                .speed(random.nextBoolean() ? random.nextDouble() * 100 : random.nextInt(200))
                .promptSpeed(random.nextInt(4) == 0 ? 1e-7 * random.nextDouble() : random.nextDouble() * 1e4)
                .ttft(random.nextInt(4) == 0 ? null : Math.scalb(random.nextDouble(), random.nextInt(80) - 40))
                .wall(random.nextDouble() * 10)
                .overhead(random.nextInt(5) == 0 ? 0.0 : random.nextDouble())
                .vram(random.nextBoolean() ? null : (long) random.nextInt(100_000));
        switch (random.nextInt(7)) {
            case 0:
                run.failed();
                break;
            case 1:
                run.polluted(RunQualityReason.COLD_MODEL_LOAD, RunQualityReason.PROMPT_CACHE_HIT);
                break;
            case 2:
                run.tokenStatus(TokenMetricsStatus.TIMING_UNAVAILABLE);
                break;
            default:
                break;
        }
        return run;
    }

    /** A record in forms TelemetryJson never writes but a ledger may hold: spacing, extra fields, odd numbers. */
    private static String record(Random random, String runId) {
        String json = TelemetryJson.toJson(randomRun(random, runId).build());
        if (random.nextInt(3) == 0) {
            // Advisory hardware flags and the throttle reasons behind them: counted per cell, never excluding.
            json = json.replace("\"hardware_flags\":[]", "\"hardware_flags\":[\"GPU_THROTTLED\""
                    + (random.nextBoolean() ? ",\"FOREIGN_GPU_PROCESS\"" : "") + "]")
                    .replace("\"throttle_reasons_seen\":[]", "\"throttle_reasons_seen\":[\"sw_thermal_slowdown\"]");
        }
        if (random.nextInt(6) == 0) {
            // An older writer's hardware code among the quality reasons: moved to the flags on reading.
            json = json.replace("\"run_quality_reasons\":[]", "\"run_quality_reasons\":[\"VRAM_CAP_EXCEEDED\"]");
        }
        StringBuilder extra = new StringBuilder();
        if (random.nextBoolean()) {
            extra.append(",\"quality_score\":").append(SCORE_TEXTS[random.nextInt(SCORE_TEXTS.length)]);
        }
        if (random.nextBoolean()) {
            extra.append(",\"x_extra\":{\"n\":[-0,1E+2,12345678901234567890,1.7976931348623157e308,-2.5e-300],"
                    + "\"s\":\"tab\\tquote\\\"uni\\u00e9\",\"deep\":[[[{}]]],\"b\":[true,false,null]}");
        }
        if (random.nextInt(4) == 0) {
            extra.append(",\"model_family\":\"fam").append(random.nextInt(2)).append('"');
        }
        if (random.nextInt(6) == 0) {
            // A duplicate key: Jackson's reader keeps the last scalar and both lists.
            extra.append(",\"run_quality_reasons\":[],\"invalid_reasons\":[\"extra\"]");
        }
        String out = json.substring(0, json.length() - 1) + extra + "}";
        if (random.nextBoolean()) {
            out = out.replace("\":", "\" :  ").replace(",\"", " ,\t\"");
        }
        if (random.nextInt(5) == 0) {
            out = "  " + out + "  ";
        }
        return out;
    }

    private static String describe(RunSample s) {
        return String.join("|", s.runId, s.model, String.valueOf(s.quantTag), String.valueOf(s.lane),
                String.valueOf(s.profile), s.validity.toString(), bits(s.clientTtftMs), bits(s.generationTokensPerSecond),
                bits(s.promptTokensPerSecond), bits(s.wallSeconds), bits(s.overheadRatio), bits(s.peakVramMb),
                bits(s.recordedQualityScore), s.hardwareFlags.toString(), s.throttleReasons.toString());
    }

    private static String bits(double v) {
        return v + "/" + Long.toHexString(Double.doubleToLongBits(v));
    }

    private static Path write(String text) throws IOException {
        Path file = Files.createTempFile("orket-ledger", ".jsonl");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
