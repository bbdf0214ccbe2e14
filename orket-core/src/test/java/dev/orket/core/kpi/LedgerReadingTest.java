package dev.orket.core.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.RunTelemetry;
import dev.orket.core.artifact.ArtifactFormatException;
import dev.orket.core.artifact.LedgerAttempts;
import dev.orket.core.artifact.TelemetryJson;
import dev.orket.core.policy.RunPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Reading a ledger: each run once, by its last attempt")
class LedgerReadingTest {

    /** The run's ledger line; {@code attempt} 0 leaves the field out (it then reads as 1). */
    private static String line(RunTelemetry run, int attempt) {
        String json = TelemetryJson.toJson(run);
        return attempt == 0 ? json : json.substring(0, json.length() - 1) + ",\"attempt\":" + attempt + "}";
    }

    private static Path write(Path dir, List<String> lines) throws IOException {
        Path ledger = dir.resolve("runs.jsonl");
        Files.writeString(ledger, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return ledger;
    }

    private static LedgerReading read(Path ledger, LedgerCheck check) {
        return KpiAggregator.readLedger(ledger, QualityScores.none(), RunPolicy.DEFAULT, check);
    }

    @Test
    @DisplayName("a line repeated byte for byte counts once and is reported with both line numbers")
    void identicalDuplicate(@TempDir Path dir) throws IOException {
        String r1 = line(TestRuns.run("r1").speed(10).build(), 0);
        String r2 = line(TestRuns.run("r2").speed(20).build(), 0);

        LedgerReading reading = read(write(dir, List.of(r1, r2, r1, r1)), LedgerCheck.NONE);

        assertThat(reading.kpis().totalRuns()).isEqualTo(2);
        assertThat(reading.kpis().cells().get(0).median(Metric.GENERATION_TOKENS_PER_SECOND)).isEqualTo(10.0);
        assertThat(reading.duplicates()).containsExactly(new LedgerAttempts.Duplicate("r1", 1, 3, 1),
                new LedgerAttempts.Duplicate("r1", 1, 4, 1));
    }

    @Test
    @DisplayName("a run counts by its highest attempt, wherever that line is")
    void lastAttemptCounts(@TempDir Path dir) throws IOException {
        String second = line(TestRuns.run("r1").speed(30).build(), 2);
        String first = line(TestRuns.run("r1").failed().build(), 0);
        String other = line(TestRuns.run("r2").speed(50).build(), 1);

        LedgerReading reading = read(write(dir, List.of(second, other, first)), LedgerCheck.NONE);

        assertThat(reading.kpis().totalRuns()).isEqualTo(2);
        assertThat(reading.kpis().validRuns()).isEqualTo(2);
        assertThat(reading.supersededAttempts()).isEqualTo(1);
        assertThat(reading.kpis().cells().get(0).median(Metric.GENERATION_TOKENS_PER_SECOND)).isEqualTo(30.0);
    }

    @Test
    @DisplayName("two different records of one run and attempt are an error naming both line numbers")
    void conflictingAttempt(@TempDir Path dir) throws IOException {
        Path ledger = write(dir, List.of(line(TestRuns.run("r0").build(), 0), line(TestRuns.run("r1").speed(10).build(),
                0), line(TestRuns.run("r1").speed(11).build(), 1)));

        assertThatThrownBy(() -> read(ledger, LedgerCheck.NONE))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessage("ledger " + ledger + " lines 2 and 3 are two different records of run r1 attempt 1; a run's"
                        + " attempt is recorded once. Keep the right line (or give the other its own attempt number)"
                        + " and run again.");
    }

    @Test
    @DisplayName("a record of another sweep is refused, naming the line and both sweeps")
    void foreignSweep(@TempDir Path dir) throws IOException {
        Path ledger = write(dir, List.of(line(TestRuns.run("r1").build(), 0)));

        assertThatThrownBy(() -> read(ledger, new LedgerCheck("sweep-2", null)))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessage("ledger " + ledger + " line 1 records run r1 of sweep 'sweep-1', but this directory's sweep"
                        + " is 'sweep-2'; a ledger holds one sweep. Move the other sweep's lines to its own directory.");
        assertThat(read(ledger, new LedgerCheck("sweep-1", null)).kpis().totalRuns()).isEqualTo(1);
    }

    @Test
    @DisplayName("planned runs the ledger lacks are reported, and runs it holds unplanned are counted")
    void missingPlannedRuns(@TempDir Path dir) throws IOException {
        Path ledger = write(dir, List.of(line(TestRuns.run("a").build(), 0), line(TestRuns.run("z").build(), 0)));

        LedgerReading reading = read(ledger, new LedgerCheck(null, Set.of("a", "c", "b")));

        assertThat(reading.missingRuns()).containsExactly("b", "c");
        assertThat(reading.unplannedRuns()).isEqualTo(1);
    }

    @Test
    @DisplayName("a schema_version that is not a positive integer is named with its value, not called missing")
    void schemaVersionNamed(@TempDir Path dir) throws IOException {
        Path ledger = write(dir, List.of(line(TestRuns.run("a").build(), 0).replace("\"schema_version\":1",
                "\"schema_version\":\"999\"")));

        assertThatThrownBy(() -> read(ledger, LedgerCheck.NONE))
                .hasMessage("ledger " + ledger + " line 1: field schema_version must be an integer >= 1 but was '999'");
    }

    @Test
    @DisplayName("an attempt that is not a positive integer is named with its line")
    void badAttempt(@TempDir Path dir) throws IOException {
        String json = TelemetryJson.toJson(TestRuns.run("a").build());
        Path ledger = write(dir, List.of(json.substring(0, json.length() - 1) + ",\"attempt\":0}"));

        assertThatThrownBy(() -> read(ledger, LedgerCheck.NONE))
                .hasMessage("ledger " + ledger + " line 1: field attempt must be an integer >= 1 but was '0'");
    }

    @Property(tries = 30)
    @Label("a ledger with repeated lines and several attempts per run, in any order, aggregates as its last attempts")
    void duplicatesAndAttemptsInAnyOrder(@ForAll @IntRange(min = 1, max = 30) int runs, @ForAll long seed)
            throws IOException {
        Random random = new Random(seed);
        KpiAggregator expected = new KpiAggregator(RunPolicy.DEFAULT);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            int attempts = 1 + random.nextInt(3);
            for (int a = 1; a <= attempts; a++) {
                TestRuns run = TestRuns.run("r" + i).speed(random.nextDouble() * 100);
                if (a < attempts && random.nextBoolean()) {
                    run.failed();
                }
                RunTelemetry telemetry = run.build();
                String text = line(telemetry, a == 1 && random.nextBoolean() ? 0 : a);
                lines.add(text);
                if (random.nextInt(4) == 0) {
                    lines.add(text);
                }
                if (a == attempts) {
                    expected.add(telemetry, null);
                }
            }
        }
        Collections.shuffle(lines, random);
        Path dir = Files.createTempDirectory("ledger");
        try {
            LedgerReading reading = read(write(dir, lines), LedgerCheck.NONE);
            assertThat(reading.kpis()).isEqualTo(expected.summary());
        } finally {
            Files.delete(dir.resolve("runs.jsonl"));
            Files.delete(dir);
        }
    }
}
