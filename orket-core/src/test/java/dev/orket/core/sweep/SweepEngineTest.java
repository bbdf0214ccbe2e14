package dev.orket.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.ConfigurationException;
import dev.orket.api.GpuSample;
import dev.orket.api.HardwareFlag;
import dev.orket.api.MonotonicClock;
import dev.orket.api.RunQualityReason;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import dev.orket.api.spi.GpuSidecar;
import dev.orket.api.spi.SidecarSession;
import dev.orket.core.telemetry.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The sweep engine")
class SweepEngineTest {

    static final String CONFIG = "{\n"
            + "  \"sweep_id\": \"test-sweep\",\n"
            + "  \"provider\": {\"id\": \"fake\", \"base_url\": \"http://127.0.0.1:1\"},\n"
            + "  \"models\": [{\"name\": \"m\", \"quants\": [\"Q4_K_M\", \"F16\", \"Q8_0\"]}],\n"
            + "  \"sessions\": [{\"id\": \"s1\", \"prompt\": \"hello\", \"max_output_tokens\": 8},\n"
            + "                 {\"id\": \"s2\", \"prompt\": \"bye\", \"max_output_tokens\": 8}],\n"
            + "  \"repetitions\": 3, \"warmup_runs\": 1,\n"
            + "  \"canary\": {\"runs\": 3},\n"
            + "  \"execution_lane\": \"ci\", \"vram_profile\": \"balanced\"%s\n"
            + "}";

    static final Map<String, Long> SPEED = Map.of("F16", 8L, "Q8_0", 5L, "Q4_K_M", 3L);
    static final Map<String, String> OUTPUT = Map.of(
            "F16", "a b c d e f g h", "Q8_0", "a b c d e f g h", "Q4_K_M", "a b c d x f g y");

    /** The fraction of positions where the output's tokens equal the baseline's. */
    static final OutputScorer AGREEMENT = (session, output, baseline) -> {
        if (baseline == null) {
            return 1.0;
        }
        String[] a = output.trim().split(" ");
        String[] b = baseline.trim().split(" ");
        int same = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            same += a[i].equals(b[i]) ? 1 : 0;
        }
        return same / (double) Math.max(a.length, b.length);
    };

    static final Comparator<String> PRECISION = Comparator.comparingInt(q -> List.of("F16", "Q8_0", "Q4_K_M").indexOf(q));

    private final ManualClock clock = new ManualClock();

    private SweepEngine engine(String extra, FakeFamilyProvider provider, Path dir, GpuSidecar sidecar) {
        String text = String.format(CONFIG, extra);
        return engineOn(text, dir, clock).provider(provider).sidecar(sidecar).build();
    }

    /**
     * A sweep engine as the sweep tests build it: the config text and the output directory, the virtual clock (a
     * sleep advances it), a fixed wall clock, the {@link #AGREEMENT} scorer and the {@link #PRECISION} order. Each
     * test adds its provider and what it varies.
     */
    static SweepEngine.Builder engineOn(String configText, Path dir, ManualClock clock) {
        return SweepEngine.builder()
                .config(SweepConfigReader.parse(configText, "test.json"))
                .outputDir(dir)
                .clock(clock)
                .wallClock(Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC))
                .sleeper(duration -> clock.advanceMillis(duration.toMillis()))
                .scorer(AGREEMENT)
                .higherPrecisionFirst(PRECISION);
    }

    private SweepEngine engine(String extra, FakeFamilyProvider provider, Path dir) {
        return engine(extra, provider, dir, null);
    }

    private FakeFamilyProvider provider() {
        return new FakeFamilyProvider(clock, SPEED, OUTPUT);
    }

    @Test
    @DisplayName("runs canary, warm-ups and measured runs, baseline quant first, scoring against the baseline")
    void completeSweep(@TempDir Path dir) {
        FakeFamilyProvider provider = provider();

        SweepOutcome outcome = engine("", provider, dir).run();

        assertThat(outcome.status()).isEqualTo(SweepOutcome.Status.COMPLETED);
        assertThat(outcome.canary().passed()).isTrue();
        assertThat(outcome.runsExecuted()).isEqualTo(3 + 3 * (1 + 6));
        List<LedgerEntry> measured = RunLedger.readAll(dir.resolve("runs.jsonl"));
        assertThat(measured).hasSize(18);
        assertThat(measured.get(0).runId()).isEqualTo("m/F16/s1/r1");
        assertThat(measured).allSatisfy(e -> assertThat(e.telemetry().validity().valid()).isTrue());
        assertThat(score(measured, "m/Q8_0/s1/r2")).isEqualTo(1.0);
        assertThat(score(measured, "m/Q4_K_M/s2/r3")).isEqualTo(0.75);
        assertThat(RunLedger.readAll(dir.resolve("warmup.jsonl"))).hasSize(3);
        assertThat(dir.resolve("sweep_manifest.json")).exists();
        assertThat(dir.resolve(SweepEngine.OUTPUT_MARKER)).exists();
        assertThat(provider.unloaded()).containsExactly("m:F16", "m:Q8_0", "m:Q4_K_M");
    }

    @Test
    @DisplayName("the measured ledger aggregates into KPIs with the quality scores its lines carry")
    void ledgerAggregates(@TempDir Path dir) {
        engine("", provider(), dir).run();

        dev.orket.core.kpi.KpiSummary kpis = dev.orket.core.kpi.KpiAggregator.aggregateLedger(dir.resolve("runs.jsonl"),
                dev.orket.core.kpi.QualityScores.none(), dev.orket.core.policy.RunPolicy.DEFAULT);

        assertThat(kpis.totalRuns()).isEqualTo(18);
        assertThat(kpis.validRuns()).isEqualTo(18);
        Map<String, Double> quality = kpis.cells().stream().collect(Collectors.toMap(c -> c.key().quantTag(),
                c -> c.median(dev.orket.core.kpi.Metric.QUALITY_SCORE)));
        assertThat(quality).containsExactlyInAnyOrderEntriesOf(Map.of("F16", 1.0, "Q8_0", 1.0, "Q4_K_M", 0.75));
    }

    private static Double score(List<LedgerEntry> entries, String runId) {
        return entries.stream().filter(e -> e.runId().equals(runId)).findFirst().orElseThrow().qualityScore();
    }

    @Test
    @DisplayName("a sweep killed mid-run and resumed loses and repeats no completed run, and ends identical")
    void resumeAfterKill(@TempDir Path killed, @TempDir Path uninterrupted) throws IOException {
        FakeFamilyProvider reference = provider();
        engine("", reference, uninterrupted).run();

        FakeFamilyProvider first = provider();
        first.killBefore(runId -> runId.equals("m/Q8_0/s2/r2"));
        assertThatThrownBy(() -> engine("", first, killed).run()).isInstanceOf(FakeFamilyProvider.SimulatedKill.class);
        FakeFamilyProvider second = provider();
        SweepOutcome resumed = engine("", second, killed).run();

        List<String> all = new ArrayList<>(first.executed());
        all.addAll(second.executed());
        assertThat(new HashSet<>(all)).hasSize(all.size());
        assertThat(all).containsExactlyInAnyOrderElementsOf(reference.executed());
        assertThat(resumed.runsResumed()).isEqualTo(first.executed().size());
        assertThat(comparable(killed)).isEqualTo(comparable(uninterrupted));
    }

    @Test
    @DisplayName("a torn last ledger line is detected, moved aside, reported, and its run done again")
    void tornLastLine(@TempDir Path dir) throws IOException {
        FakeFamilyProvider first = provider();
        first.killBefore(runId -> runId.equals("m/Q8_0/s1/r1"));
        assertThatThrownBy(() -> engine("", first, dir).run()).isInstanceOf(Error.class);
        Path ledger = dir.resolve("runs.jsonl");
        byte[] bytes = Files.readAllBytes(ledger);
        Files.write(ledger, java.util.Arrays.copyOf(bytes, bytes.length - 40));

        FakeFamilyProvider second = provider();
        SweepOutcome outcome = engine("", second, dir).run();

        assertThat(outcome.tornLines()).hasSize(1);
        assertThat(outcome.tornLines().get(0).lineNumber()).isEqualTo(6);
        assertThat(Files.exists(outcome.tornLines().get(0).movedTo())).isTrue();
        assertThat(second.executed()).startsWith("m/F16/s2/r3");
        List<LedgerEntry> entries = RunLedger.readAll(ledger);
        assertThat(entries).hasSize(18);
        assertThat(entries.stream().map(LedgerEntry::runId).distinct().count()).isEqualTo(18);
    }

    @Test
    @DisplayName("every run carries the config's whole-run deadline and idle gap")
    void deadlinesReachEveryRun(@TempDir Path dir) {
        List<dev.orket.api.RunRequest> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        FakeFamilyProvider recording = new FakeFamilyProvider(clock, new java.util.HashMap<>(SPEED), OUTPUT) {
            @Override
            public void execute(dev.orket.api.RunRequest request, dev.orket.api.spi.RunRecorder recorder) {
                requests.add(request);
                super.execute(request, recorder);
            }
        };

        engine(", \"timeout_ms\": 3000, \"idle_timeout_ms\": 750", recording, dir).run();

        assertThat(requests).isNotEmpty().allSatisfy(request -> {
            assertThat(request.timeout()).isEqualTo(java.time.Duration.ofMillis(3000));
            assertThat(request.idleGap()).isEqualTo(java.time.Duration.ofMillis(750));
        });
    }

    @Test
    @DisplayName("a canary whose latency varies more than the threshold stops the sweep before any measured run")
    void canaryAborts(@TempDir Path dir) {
        FakeFamilyProvider jittery = new FakeFamilyProvider(clock, new java.util.HashMap<>(SPEED), OUTPUT) {
            private int calls;

            @Override
            public void execute(dev.orket.api.RunRequest request, dev.orket.api.spi.RunRecorder recorder) {
                calls++;
                new FakeFamilyProvider(clock, Map.of("F16", 8L + 4L * calls), OUTPUT).execute(request, recorder);
            }
        };

        SweepOutcome outcome = engine("", jittery, dir).run();

        assertThat(outcome.status()).isEqualTo(SweepOutcome.Status.ABORTED_BY_CANARY);
        assertThat(outcome.canary().reasons()).anySatisfy(r -> assertThat(r).startsWith("latency_variance:"));
        assertThat(dir.resolve("runs.jsonl")).isEmptyFile();
        assertThat(dir.resolve("canary_verdict.json")).content().contains("\"passed\":false");
    }

    @Nested
    @DisplayName("VRAM pre-flight")
    class Preflight {

        @Test
        @DisplayName("strict blocks a cell whose estimate exceeds the profile's cap")
        void strict(@TempDir Path dir) {
            SweepOutcome outcome = engine(", \"vram_preflight\": {\"mode\": \"strict\", \"card_vram_mib\": 10000,"
                    + " \"estimates_mib\": {\"F16\": 9000, \"Q8_0\": 5000}}", provider(), dir).run();

            assertThat(outcome.blockedCells()).containsOnlyKeys("m/F16");
            assertThat(outcome.blockedCells().get("m/F16"))
                    .isEqualTo("vram_preflight:estimate 9000 MiB > balanced cap 8000 MiB of 10000 MiB");
            assertThat(RunLedger.readAll(dir.resolve("runs.jsonl"))).noneMatch(e -> e.runId().startsWith("m/F16/"));
        }

        @Test
        @DisplayName("extended runs the cell and flags its runs VRAM_CAP_EXCEEDED, advisory: they stay valid")
        void extended(@TempDir Path dir) {
            engine(", \"vram_preflight\": {\"mode\": \"extended\", \"card_vram_mib\": 10000,"
                    + " \"estimates_mib\": {\"F16\": 9000}}", provider(), dir).run();

            List<LedgerEntry> f16 = RunLedger.readAll(dir.resolve("runs.jsonl")).stream()
                    .filter(e -> e.runId().startsWith("m/F16/")).collect(Collectors.toList());
            assertThat(f16).hasSize(6).allSatisfy(e -> {
                assertThat(e.telemetry().hardwareFlags().flags()).containsExactly(HardwareFlag.VRAM_CAP_EXCEEDED);
                assertThat(e.telemetry().hardwareFlags().details().get(HardwareFlag.VRAM_CAP_EXCEEDED))
                        .isEqualTo("pre-flight estimate 9000 MiB > balanced cap 8000 MiB of 10000 MiB");
                assertThat(e.telemetry().quality().reasons()).isEmpty();
            });
            assertThat(f16.stream().filter(e -> e.runId().contains("/r")))
                    .allSatisfy(e -> assertThat(e.telemetry().validity().valid()).isTrue());
        }
    }

    @Nested
    @DisplayName("thermal gate")
    class Thermal {

        @Test
        @DisplayName("waits on the virtual clock until the GPU cools, then measures clean runs")
        void settles(@TempDir Path dir) {
            TemperatureSidecar sidecar = new TemperatureSidecar(clock, 90.0, 0.5);

            engine(", \"thermal_gate\": {\"target_c\": 80, \"max_wait_ms\": 120000, \"poll_ms\": 1000}", provider(),
                    dir, sidecar).run();

            assertThat(RunLedger.readAll(dir.resolve("runs.jsonl")))
                    .allSatisfy(e -> assertThat(e.telemetry().hardwareFlags().flags())
                            .doesNotContain(HardwareFlag.THERMAL_NOT_SETTLED));
            assertThat(sidecar.samples).isGreaterThan(20);
        }

        @Test
        @DisplayName("paces, then flags THERMAL_NOT_SETTLED (advisory) when the GPU never cools within the bound")
        void neverSettles(@TempDir Path dir) {
            TemperatureSidecar sidecar = new TemperatureSidecar(clock, 95.0, 0.0);

            engine(", \"thermal_gate\": {\"target_c\": 80, \"max_wait_ms\": 3000, \"poll_ms\": 1000}", provider(),
                    dir, sidecar).run();

            assertThat(RunLedger.readAll(dir.resolve("runs.jsonl"))).allSatisfy(e -> {
                assertThat(e.telemetry().hardwareFlags().flags()).contains(HardwareFlag.THERMAL_NOT_SETTLED);
                assertThat(e.telemetry().hardwareFlags().details().get(HardwareFlag.THERMAL_NOT_SETTLED))
                        .isEqualTo("temperature 95.0 °C >= target 80.0 °C after waiting 3000 ms");
                assertThat(e.telemetry().quality().reasons()).isEmpty();
                assertThat(e.telemetry().validity().valid()).isTrue();
            });
        }
    }

    @Test
    @DisplayName("resuming with a different config is refused, naming both digests")
    void configChanged(@TempDir Path dir) {
        engine("", provider(), dir).run();

        assertThatThrownBy(() -> engine(", \"context_size\": 4096", provider(), dir).run())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("config digest");
    }

    /** Everything a summary depends on: run ids, states, token counts, timings and scores, in order. */
    private static List<String> comparable(Path dir) {
        return RunLedger.readAll(dir.resolve("runs.jsonl")).stream()
                .map(e -> e.runId() + " " + e.telemetry().outcome() + " " + e.telemetry().tokenMetrics() + " "
                        + e.telemetry().wallSeconds() + " " + e.qualityScore() + " " + e.outputSha256())
                .collect(Collectors.toList());
    }

    /** A sidecar whose temperature starts hot and falls by a step per virtual second. */
    static final class TemperatureSidecar implements GpuSidecar {
        private final MonotonicClock clock;
        private final double startC;
        private final double fallPerSecond;
        int samples;

        TemperatureSidecar(MonotonicClock clock, double startC, double fallPerSecond) {
            this.clock = clock;
            this.startC = startC;
            this.fallPerSecond = fallPerSecond;
        }

        @Override
        public String id() {
            return "temperature";
        }

        @Override
        public SidecarReading sampleOnce() {
            samples++;
            double temperature = Math.max(30.0, startC - fallPerSecond * clock.nanoTime() / 1e9);
            return new SidecarReading(List.of(GpuSample.builder().gpuIndex(0).gpuUuid("GPU-0").gpuName("Test")
                    .vramTotalMib(10000L).vramUsedMib(1000L).temperatureC(temperature).build()),
                    SidecarParseStatus.OK, List.of());
        }

        @Override
        public SidecarSession start(MonotonicClock runClock) {
            return this::sampleOnce;
        }
    }


    @Nested
    @DisplayName("Output directory safety")
    class OutputSafety {

        @Test
        @DisplayName("a ledger line repeated byte for byte is ignored with a note, and resume repeats no run")
        void duplicateLineOnResume(@TempDir Path dir) throws IOException {
            FakeFamilyProvider first = provider();
            first.killBefore(runId -> runId.equals("m/Q8_0/s1/r1"));
            assertThatThrownBy(() -> engine("", first, dir).run()).isInstanceOf(Error.class);
            Path ledger = dir.resolve("runs.jsonl");
            List<String> lines = Files.readAllLines(ledger);
            Files.writeString(ledger, lines.get(0) + "\n", java.nio.file.StandardOpenOption.APPEND);
            List<String> notes = new ArrayList<>();

            FakeFamilyProvider second = provider();
            SweepOutcome outcome = SweepEngine.builder()
                    .config(SweepConfigReader.parse(String.format(CONFIG, ""), "test.json"))
                    .provider(second).outputDir(dir).clock(clock).sleeper(d -> clock.advanceMillis(d.toMillis()))
                    .scorer(AGREEMENT).higherPrecisionFirst(PRECISION)
                    .listener(event -> {
                        if (event instanceof SweepEvent.Warning) {
                            notes.add(((SweepEvent.Warning) event).message());
                        }
                    })
                    .build().run();

            assertThat(outcome.status()).isEqualTo(SweepOutcome.Status.COMPLETED);
            assertThat(notes).contains("line " + (lines.size() + 1) + " of runs.jsonl repeats line 1 (run "
                    + RunLedger.parse(lines.get(0)).runId() + ") byte for byte; ignored, the run counts once");
            assertThat(second.executed()).doesNotContain(RunLedger.parse(lines.get(0)).runId());
            assertThat(RunLedger.readAll(ledger)).hasSize(18);
        }

        @Test
        @DisplayName("a second sweep on a directory whose lock is held is refused, naming the directory and the pid")
        void lockHeld(@TempDir Path dir) {
            try (OutputLock held = OutputLock.acquire(dir)) {
                assertThatThrownBy(() -> engine("", provider(), dir).run())
                        .isInstanceOf(OutputDirectoryInUseException.class)
                        .hasMessageStartingWith("Output directory " + dir + " is in use by another Orket process (pid "
                                + ProcessHandle.current().pid() + ", since ");
                assertThat(dir.resolve("sweep_manifest.json")).doesNotExist();
            }
            assertThat(engine("", provider(), dir).run().status()).isEqualTo(SweepOutcome.Status.COMPLETED);
        }

        @Test
        @DisplayName("a non-empty directory that is not an Orket output directory, or one inside another sweep's, is"
                + " refused")
        void foreignDirectories(@TempDir Path base) throws IOException {
            Path foreign = Files.createDirectories(base.resolve("photos"));
            Files.writeString(foreign.resolve("holiday.jpg"), "x");
            assertThatThrownBy(() -> engine("", provider(), foreign).run())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("Output directory " + foreign + " is not empty and is not an Orket output"
                            + " directory");
            try (java.util.stream.Stream<Path> entries = Files.list(foreign)) {
                assertThat(entries).containsExactly(foreign.resolve("holiday.jpg"));
            }

            Path sweep = base.resolve("sweep");
            assertThat(engine("", provider(), sweep).run().status()).isEqualTo(SweepOutcome.Status.COMPLETED);
            Path nested = sweep.resolve("sidecar").resolve("inner");
            assertThatThrownBy(() -> engine("", provider(), nested).run())
                    .hasMessage("Output directory " + nested + " lies inside the Orket output directory "
                            + sweep.toAbsolutePath() + " of another sweep; choose a directory outside it.");
        }

        @Test
        @DisplayName("an output directory that cannot be made says why")
        void prepareSaysWhy(@TempDir Path base) throws IOException {
            Path file = base.resolve("file");
            Files.writeString(file, "x");
            Path below = file.resolve("out");

            assertThatThrownBy(() -> engine("", provider(), below).run())
                    .isInstanceOf(java.io.UncheckedIOException.class)
                    .hasMessageStartingWith("cannot prepare output directory " + below + ": ")
                    .hasMessageContaining(file.toString());
        }

        @Test
        @DisplayName("a lock left by a killed holder is taken over and reported")
        void staleLock(@TempDir Path dir) throws IOException {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(OutputLock.LOCK_FILE), "{\"pid\":999999999,\"acquired_at\":\"x\"}\n");

            try (OutputLock lock = OutputLock.acquire(dir)) {
                assertThat(lock.staleHolderPid()).isEqualTo(999_999_999L);
                assertThat(Files.readString(dir.resolve(OutputLock.LOCK_FILE)))
                        .startsWith("{\"pid\":" + ProcessHandle.current().pid() + ",");
            }
            assertThat(dir.resolve(OutputLock.LOCK_FILE)).isEmptyFile();
            try (OutputLock again = OutputLock.acquire(dir)) {
                assertThat(again.staleHolderPid()).isNull();
            }
        }
    }
}
