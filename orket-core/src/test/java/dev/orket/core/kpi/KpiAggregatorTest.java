package dev.orket.core.kpi;

import static dev.orket.core.kpi.TestRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.RunQualityReason;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.api.VramProfile;
import dev.orket.core.artifact.ArtifactFormatException;
import dev.orket.core.artifact.TelemetryJson;
import dev.orket.core.policy.RunPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KpiAggregatorTest {

    @Test
    @DisplayName("invalid runs never enter a cell's KPIs and are counted by every reason")
    void invalidRunsExcluded() {
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        for (int i = 0; i < 6; i++) {
            aggregator.add(run("v" + i).speed(100 + i).build(), 0.9);
        }
        aggregator.add(run("slow-failed").speed(1).failed().build(), 0.0);
        aggregator.add(run("cold").speed(2).polluted(RunQualityReason.COLD_MODEL_LOAD).build(), null);
        aggregator.add(run("notiming").speed(3).tokenStatus(TokenMetricsStatus.TIMING_UNAVAILABLE)
                .polluted(RunQualityReason.MISSING_TOKEN_TIMINGS).build(), null);

        KpiSummary summary = aggregator.summary();

        assertThat(summary.totalRuns()).isEqualTo(9);
        assertThat(summary.validRuns()).isEqualTo(6);
        CellKpis cell = summary.cells().get(0);
        assertThat(cell.totalRuns()).isEqualTo(9);
        assertThat(cell.validRuns()).isEqualTo(6);
        assertThat(cell.invalidRuns()).isEqualTo(3);
        assertThat(cell.metric(Metric.GENERATION_TOKENS_PER_SECOND).n()).isEqualTo(6);
        assertThat(cell.median(Metric.GENERATION_TOKENS_PER_SECOND)).isEqualTo(102.0);
        assertThat(cell.excludedByReason()).containsExactly(
                Map.entry("run_quality:COLD_MODEL_LOAD", 1L),
                Map.entry("run_quality:MISSING_TOKEN_TIMINGS", 1L),
                Map.entry("terminal_state:FAILED", 1L),
                Map.entry("token_metrics:TIMING_UNAVAILABLE", 1L));
        assertThat(summary.invalidRows()).singleElement().satisfies(row -> {
            assertThat(row.invalid()).isTrue();
            assertThat(row.median(Metric.GENERATION_TOKENS_PER_SECOND)).isEqualTo(2.0);
        });
    }

    @Test
    @DisplayName("absent quality scores stay absent: never defaulted to 1.0")
    void absentQuality() {
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        aggregator.add(run("a").build(), null);
        aggregator.add(run("b").build(), 0.5);
        aggregator.add(run("c").build(), null);
        CellKpis cell = aggregator.summary().cells().get(0);
        assertThat(cell.runsWithoutQualityScore()).isEqualTo(2);
        assertThat(cell.metric(Metric.QUALITY_SCORE).n()).isEqualTo(1);
        assertThat(cell.median(Metric.QUALITY_SCORE)).isEqualTo(0.5);

        KpiAggregator none = new KpiAggregator(RunPolicy.DEFAULT);
        none.add(run("a").build(), null);
        MetricSummary quality = none.summary().cells().get(0).metric(Metric.QUALITY_SCORE);
        assertThat(quality.median()).isNull();
        assertThat(quality.medianIntervalUnavailableReason()).isEqualTo(StatisticUnavailableReason.NO_VALUES);
    }

    @Test
    @DisplayName("p99 needs 100 runs and the median interval six")
    void smallSamples() {
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        for (int i = 0; i < 5; i++) {
            aggregator.add(run("r" + i).speed(10 * (i + 1)).build(), null);
        }
        MetricSummary speed = aggregator.summary().cells().get(0).metric(Metric.GENERATION_TOKENS_PER_SECOND);
        assertThat(speed.median()).isEqualTo(30.0);
        assertThat(speed.p10()).isEqualTo(10.0);
        assertThat(speed.p90()).isEqualTo(50.0);
        assertThat(speed.p99()).isNull();
        assertThat(speed.p99UnavailableReason()).isEqualTo(StatisticUnavailableReason.TOO_FEW_RUNS_FOR_P99);
        assertThat(speed.medianInterval()).isNull();
        assertThat(speed.medianIntervalUnavailableReason()).isEqualTo(StatisticUnavailableReason.TOO_FEW_RUNS_FOR_INTERVAL);

        for (int i = 5; i < 100; i++) {
            aggregator.add(run("r" + i).speed(i + 1).build(), null);
        }
        MetricSummary more = aggregator.summary().cells().get(0).metric(Metric.GENERATION_TOKENS_PER_SECOND);
        assertThat(more.p99()).isNotNull();
        assertThat(more.medianInterval()).isNotNull();
        assertThat(more.medianInterval().lowerRank()).isEqualTo(40);
        assertThat(more.medianInterval().upperRank()).isEqualTo(61);
    }

    @Test
    @DisplayName("cells split by model, quant, lane and profile, in deterministic order")
    void cells() {
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        aggregator.add(run("1").quant("Q8_0").build(), null);
        aggregator.add(run("2").quant("Q4_0").profile(VramProfile.SAFE).build(), null);
        aggregator.add(run("3").quant("Q4_0").build(), null);
        aggregator.add(run("4").quant(null).build(), null);
        List<String> keys = new ArrayList<>();
        for (CellKpis cell : aggregator.summary().cells()) {
            keys.add(cell.key().quantTag() + "/" + cell.key().laneAndProfile());
        }
        assertThat(keys).containsExactly("null/lab/balanced", "Q4_0/lab/safe", "Q4_0/lab/balanced", "Q8_0/lab/balanced");
    }

    @Test
    @DisplayName("a JSONL ledger is aggregated as a stream with scores joined by run id")
    void ledger(@TempDir Path dir) throws IOException {
        Path ledger = dir.resolve("ledger.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            lines.append(TelemetryJson.toJson(run("r" + i).speed(50 + i).build())).append('\n');
        }
        Files.writeString(ledger, lines, StandardCharsets.UTF_8);
        KpiSummary summary = KpiAggregator.aggregateLedger(ledger, QualityScores.of(Map.of("r1", 0.25, "r2", 0.75)),
                RunPolicy.DEFAULT);
        CellKpis cell = summary.cells().get(0);
        assertThat(cell.validRuns()).isEqualTo(10);
        assertThat(cell.median(Metric.GENERATION_TOKENS_PER_SECOND)).isEqualTo(54.0);
        assertThat(cell.median(Metric.QUALITY_SCORE)).isEqualTo(0.25);
        assertThat(cell.median(Metric.PEAK_VRAM_USED_MB)).isEqualTo(4000.0);
        assertThat(summary.policyVersion()).isEqualTo("2");
    }

    @Test
    @DisplayName("a broken ledger line is named")
    void brokenLine(@TempDir Path dir) throws IOException {
        Path ledger = dir.resolve("ledger.jsonl");
        Files.writeString(ledger, TelemetryJson.toJson(run("r0").build()) + "\n{\"schema_version\":1}\n");
        assertThatThrownBy(() -> KpiAggregator.aggregateLedger(ledger, QualityScores.none(), RunPolicy.DEFAULT))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("line 2");
    }

    @Test
    @DisplayName("a record marked invalid stays invalid even when its fields look clean")
    void recordedInvalidity() {
        var clean = run("x").build();
        var marked = new dev.orket.api.RunTelemetry(clean.schemaVersion(), clean.identity(), clean.startedAt(),
                clean.endedAt(), clean.outcome(), clean.tokenMetrics(), clean.wallSeconds(),
                clean.internalModelSeconds(), clean.orchestrationOverheadRatio(), clean.quality(), Map.of(),
                new dev.orket.api.RunValidity(false, List.of("future:reason")), clean.sidecar(), null, clean.server(), null,
                clean.hardwareFlags(), clean.host(), clean.controlsApplied(), List.of());
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        aggregator.add(marked, null);
        assertThat(aggregator.summary().validRuns()).isZero();
        assertThat(aggregator.summary().cells().get(0).excludedByReason()).containsOnlyKeys("future:reason");
    }
}
