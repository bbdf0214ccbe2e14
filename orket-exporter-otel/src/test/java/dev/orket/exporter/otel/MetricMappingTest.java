package dev.orket.exporter.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.MetricValue;
import dev.orket.api.Provenance;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TokenMetrics;
import dev.orket.api.UnavailableReason;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The GenAI client metrics of a run")
class MetricMappingTest {

    private static final List<Double> DURATION_BOUNDARIES =
            List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
    private static final List<Double> TOKEN_BOUNDARIES = List.of(1.0, 4.0, 16.0, 64.0, 256.0, 1024.0, 4096.0,
            16384.0, 65536.0, 262144.0, 1048576.0, 4194304.0, 16777216.0, 67108864.0);

    /** The attributes every metric point of the streamed chat run carries. */
    private static final Attributes CHAT = Attributes.builder()
            .put("gen_ai.operation.name", "chat")
            .put("gen_ai.provider.name", "scripted")
            .put("gen_ai.request.model", "tiny-q4")
            .put("orket.quant_tag", "Q4_K_M")
            .put("orket.execution_lane", "lab")
            .put("orket.vram_profile", "stress")
            .put("orket.valid", true)
            .put("orket.warmup", false)
            .build();

    private final InMemoryOtel otel = new InMemoryOtel();

    @AfterEach
    void closeSdk() {
        otel.close();
    }

    private Optional<MetricData> metric(String name) {
        return otel.metrics().stream().filter(m -> m.getName().equals(name)).findFirst();
    }

    private List<HistogramPointData> points(String name) {
        MetricData metric = metric(name).orElseThrow(() -> new AssertionError("no metric " + name));
        return List.copyOf(metric.getHistogramData().getPoints());
    }

    private HistogramPointData onlyPoint(String name) {
        List<HistogramPointData> points = points(name);
        assertThat(points).hasSize(1);
        return points.get(0);
    }

    @Nested
    @DisplayName("of a streamed chat run")
    class Streamed {

        @Test
        @DisplayName("gen_ai.client.operation.duration is the record's wall seconds, in the advised buckets")
        void duration() {
            otel.export(ScriptedRuns.streamingChat());

            MetricData metric = metric("gen_ai.client.operation.duration").orElseThrow();
            assertThat(metric.getUnit()).isEqualTo("s");
            HistogramPointData point = onlyPoint("gen_ai.client.operation.duration");
            assertThat(point.getAttributes()).isEqualTo(CHAT);
            assertThat(point.getCount()).isEqualTo(1);
            assertThat(point.getSum()).isEqualTo(1.0);
            assertThat(point.getBoundaries()).isEqualTo(DURATION_BOUNDARIES);
        }

        @Test
        @DisplayName("gen_ai.client.token.usage records 16 input and 9 output tokens, by gen_ai.token.type")
        void tokenUsage() {
            otel.export(ScriptedRuns.streamingChat());

            MetricData metric = metric("gen_ai.client.token.usage").orElseThrow();
            assertThat(metric.getUnit()).isEqualTo("{token}");
            var byType = metric.getHistogramData().getPoints().stream().collect(Collectors.toMap(
                    p -> p.getAttributes().get(GenAiConventions.TOKEN_TYPE), p -> p));
            assertThat(byType).containsOnlyKeys("input", "output");
            assertThat(byType.get("input").getSum()).isEqualTo(16.0);
            assertThat(byType.get("output").getSum()).isEqualTo(9.0);
            assertThat(byType.get("output").getCount()).isEqualTo(1);
            assertThat(byType.get("input").getAttributes())
                    .isEqualTo(CHAT.toBuilder().put("gen_ai.token.type", "input").build());
            assertThat(byType.get("input").getBoundaries()).isEqualTo(TOKEN_BOUNDARIES);
        }

        @Test
        @DisplayName("time to first chunk is the record's client TTFT: 250 ms = 0.25 s")
        void timeToFirstChunk() {
            otel.export(ScriptedRuns.streamingChat());

            HistogramPointData point = onlyPoint("gen_ai.client.operation.time_to_first_chunk");
            assertThat(point.getAttributes()).isEqualTo(CHAT);
            assertThat(point.getCount()).isEqualTo(1);
            assertThat(point.getSum()).isEqualTo(0.25);
            assertThat(point.getBoundaries()).isEqualTo(DURATION_BOUNDARIES);
        }

        @Test
        @DisplayName("time per output chunk: 4 gaps after the first of 5 chunks, 62.5 ms × 8 / 4 = 0.125 s each")
        void timePerOutputChunk() {
            otel.export(ScriptedRuns.streamingChat());

            HistogramPointData point = onlyPoint("gen_ai.client.operation.time_per_output_chunk");
            assertThat(point.getAttributes()).isEqualTo(CHAT);
            assertThat(point.getCount()).isEqualTo(4);
            assertThat(point.getSum()).isEqualTo(0.5);
            assertThat(point.getMin()).isEqualTo(0.125);
            assertThat(point.getMax()).isEqualTo(0.125);
            // Bucket 4 is (0.08, 0.16].
            assertThat(point.getCounts()).containsExactly(0L, 0L, 0L, 0L, 4L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
        }
    }

    @Nested
    @DisplayName("of runs that did not stream, failed or were cancelled")
    class OtherRuns {

        @Test
        @DisplayName("a non-streamed run records duration and tokens, and neither chunk metric")
        void nonStreamedHasNoChunkMetrics() {
            otel.export(ScriptedRuns.nonStreamingCompletion());

            HistogramPointData duration = onlyPoint("gen_ai.client.operation.duration");
            assertThat(duration.getSum()).isEqualTo(0.5);
            assertThat(duration.getAttributes()).isEqualTo(Attributes.builder()
                    .put("gen_ai.operation.name", "text_completion")
                    .put("gen_ai.provider.name", "scripted")
                    .put("gen_ai.request.model", "tiny-f16")
                    .put("orket.execution_lane", "ci")
                    .put("orket.vram_profile", "balanced")
                    .put("orket.valid", false)
                    .put("orket.warmup", false)
                    .build());
            assertThat(points("gen_ai.client.token.usage")).extracting(HistogramPointData::getSum)
                    .containsExactlyInAnyOrder(4.0, 6.0);
            assertThat(metric("gen_ai.client.operation.time_to_first_chunk")).isEmpty();
            assertThat(metric("gen_ai.client.operation.time_per_output_chunk")).isEmpty();
        }

        @Test
        @DisplayName("a failed run records its duration with error.type and no token usage it never got")
        void failedRun() {
            otel.export(ScriptedRuns.serverError());

            HistogramPointData duration = onlyPoint("gen_ai.client.operation.duration");
            assertThat(duration.getSum()).isEqualTo(0.25);
            assertThat(duration.getAttributes().get(GenAiConventions.ERROR_TYPE)).isEqualTo("SERVER_ERROR");
            assertThat(metric("gen_ai.client.token.usage")).isEmpty();
            assertThat(metric("gen_ai.client.operation.time_to_first_chunk")).isEmpty();
            assertThat(metric("gen_ai.client.operation.time_per_output_chunk")).isEmpty();
        }

        @Test
        @DisplayName("a cancelled run records its duration with error.type CANCELLED and the first chunk it saw")
        void cancelledRun() {
            otel.export(ScriptedRuns.cancelled());

            HistogramPointData duration = onlyPoint("gen_ai.client.operation.duration");
            assertThat(duration.getSum()).isEqualTo(0.3);
            assertThat(duration.getAttributes().get(GenAiConventions.ERROR_TYPE)).isEqualTo("CANCELLED");
            HistogramPointData ttfc = onlyPoint("gen_ai.client.operation.time_to_first_chunk");
            assertThat(ttfc.getSum()).isEqualTo(0.25);
            assertThat(ttfc.getAttributes().get(GenAiConventions.ERROR_TYPE)).isNull();
            assertThat(metric("gen_ai.client.operation.time_per_output_chunk")).isEmpty();
        }

        @Test
        @DisplayName("four runs make four duration points, one per attribute set, and no point of any run is zero")
        void severalRuns() {
            otel.export(ScriptedRuns.streamingChat(), ScriptedRuns.nonStreamingCompletion(),
                    ScriptedRuns.serverError(), ScriptedRuns.cancelled());

            assertThat(points("gen_ai.client.operation.duration")).extracting(HistogramPointData::getSum)
                    .containsExactlyInAnyOrder(1.0, 0.5, 0.25, 0.3);
            assertThat(otel.metrics()).flatExtracting(m -> m.getHistogramData().getPoints())
                    .allSatisfy(p -> assertThat(p.getMin()).isPositive());
        }
    }

    @Nested
    @DisplayName("time per output chunk, derived from the record")
    class ChunkGap {

        private RunTelemetry withTokens(RunTelemetry t, MetricValue outputTokens, long chunkCount) {
            TokenMetrics m = t.tokenMetrics();
            TokenMetrics changed = new TokenMetrics(m.promptTokens(), m.cachedPromptTokens(), outputTokens,
                    m.totalTokens(), m.serverPromptMs(), m.serverGenerationMs(), m.loadMs(), m.promptTokensPerSecond(),
                    m.generationTokensPerSecond(), m.clientTtftMs(), m.clientTimePerOutputTokenMs(), chunkCount,
                    m.status());
            return new RunTelemetry(t.schemaVersion(), t.identity(), t.startedAt(), t.endedAt(), t.outcome(), changed,
                    t.wallSeconds(), t.internalModelSeconds(), t.orchestrationOverheadRatio(), t.quality(),
                    t.qualityDetails(), t.validity(), t.sidecar(), t.serverContextSize(), t.server(),
                    t.quantTagVerified(), t.hardwareFlags(), t.host(), t.controlsApplied(), t.unrecognizedLabels());
        }

        @Test
        @DisplayName("is the first-to-last chunk time over the gaps: 0.125 s for the streamed chat run")
        void meanGap() {
            assertThat(RunMetrics.meanChunkGapSeconds(ScriptedRuns.streamingChat().telemetry())).isEqualTo(0.125);
        }

        @Test
        @DisplayName("is absent without the server's output count: the record does not keep the per-chunk token sum")
        void absentWithoutOutputCount() {
            RunTelemetry t = withTokens(ScriptedRuns.streamingChat().telemetry(),
                    MetricValue.unavailable(UnavailableReason.NOT_REPORTED_BY_SERVER), 5);
            assertThat(RunMetrics.meanChunkGapSeconds(t)).isNull();
        }

        @Test
        @DisplayName("is absent with fewer than two chunks")
        void absentWithOneChunk() {
            RunTelemetry t = withTokens(ScriptedRuns.streamingChat().telemetry(),
                    MetricValue.of(9, Provenance.SERVER_REPORTED), 1);
            assertThat(RunMetrics.meanChunkGapSeconds(t)).isNull();
        }

        @Test
        @DisplayName("is absent for a run that did not stream")
        void absentWithoutStreaming() {
            assertThat(RunMetrics.meanChunkGapSeconds(ScriptedRuns.nonStreamingCompletion().telemetry())).isNull();
        }
    }
}
