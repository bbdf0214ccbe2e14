package dev.orket.exporter.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("OTLP/HTTP end to end: real posts to a loopback collector, decoded with the OTLP proto classes")
class OtlpHttpEndToEndTest {

    private static final List<String> METRIC_NAMES = List.of("gen_ai.client.operation.duration",
            "gen_ai.client.token.usage", "gen_ai.client.operation.time_to_first_chunk",
            "gen_ai.client.operation.time_per_output_chunk");

    private static long epochNanos(long millisAfterStart) {
        return TimeUnit.MILLISECONDS.toNanos(ScriptedRuns.START.toEpochMilli() + millisAfterStart);
    }

    private static Span span(OtlpReceiver receiver, String name) {
        return receiver.spans().stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span named " + name + " in " + receiver.spans()));
    }

    @Test
    @DisplayName("otlpHttp(endpoint): every span and metric has arrived when close() returns")
    void otlpHttpFlushesEverythingOnClose() throws IOException {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            OtelRunExporter exporter = OtelRunExporter.otlpHttp(receiver.endpoint());
            for (ScriptedRuns.Run run : List.of(ScriptedRuns.streamingChat(), ScriptedRuns.serverError())) {
                exporter.export(run.request(), run.telemetry());
            }

            exporter.close();

            // No waiting here: close() returns only after the flush, so everything must already be in.
            assertThat(receiver.spans()).extracting(Span::getName)
                    .containsExactlyInAnyOrder("chat tiny-q4", "text_completion tiny-q4");
            Span chat = span(receiver, "chat tiny-q4");
            assertThat(chat.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
            assertThat(chat.getStartTimeUnixNano()).isEqualTo(epochNanos(0));
            assertThat(chat.getEndTimeUnixNano()).isEqualTo(epochNanos(1000));
            Map<String, AnyValue> attributes = OtlpReceiver.attributes(chat.getAttributesList());
            assertThat(attributes.get("gen_ai.operation.name").getStringValue()).isEqualTo("chat");
            assertThat(attributes.get("gen_ai.provider.name").getStringValue()).isEqualTo("scripted");
            assertThat(attributes.get("gen_ai.request.model").getStringValue()).isEqualTo("tiny-q4");
            assertThat(attributes.get("gen_ai.request.max_tokens").getIntValue()).isEqualTo(64);
            assertThat(attributes.get("gen_ai.request.seed").getIntValue()).isEqualTo(42);
            assertThat(attributes.get("gen_ai.request.temperature").getDoubleValue()).isEqualTo(0.25);
            assertThat(attributes.get("gen_ai.usage.input_tokens").getIntValue()).isEqualTo(16);
            assertThat(attributes.get("gen_ai.usage.output_tokens").getIntValue()).isEqualTo(9);
            assertThat(attributes.get("gen_ai.response.finish_reasons").getArrayValue().getValuesList())
                    .extracting(AnyValue::getStringValue).containsExactly("stop");
            assertThat(attributes.get("orket.quant_tag").getStringValue()).isEqualTo("Q4_K_M");
            assertThat(attributes.get("orket.execution_lane").getStringValue()).isEqualTo("lab");
            assertThat(attributes.get("orket.vram_profile").getStringValue()).isEqualTo("stress");
            assertThat(attributes.get("orket.internal_model_seconds").getDoubleValue()).isEqualTo(0.75);
            assertThat(attributes.get("orket.orchestration_overhead_ratio").getDoubleValue()).isEqualTo(0.25);
            assertThat(attributes.get("orket.valid").getBoolValue()).isTrue();
            assertThat(attributes.get("orket.served_quant_tag").getStringValue()).isEqualTo("Q4_K_M");
            assertThat(attributes.get("orket.quant_tag_verified").getBoolValue()).isTrue();
            assertThat(attributes).doesNotContainKey("error.type");

            Span failed = span(receiver, "text_completion tiny-q4");
            assertThat(failed.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
            assertThat(OtlpReceiver.attributes(failed.getAttributesList()).get("error.type").getStringValue())
                    .isEqualTo("SERVER_ERROR");

            var resource = OtlpReceiver.attributes(
                    receiver.traceRequests().get(0).getResourceSpans(0).getResource().getAttributesList());
            assertThat(resource.get("service.name").getStringValue()).isEqualTo("orket");
            assertThat(receiver.traceRequests().get(0).getResourceSpans(0).getScopeSpans(0).getScope().getName())
                    .isEqualTo("dev.orket.exporter.otel");

            assertThat(receiver.metrics()).extracting(Metric::getName).containsAll(METRIC_NAMES);
            Metric duration = receiver.metrics().stream()
                    .filter(m -> m.getName().equals("gen_ai.client.operation.duration")).findFirst().orElseThrow();
            assertThat(duration.getUnit()).isEqualTo("s");
            assertThat(duration.getHistogram().getDataPointsList()).extracting(HistogramDataPoint::getSum)
                    .containsExactlyInAnyOrder(1.0, 0.25);
            assertThat(duration.getHistogram().getDataPoints(0).getExplicitBoundsList())
                    .containsExactly(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96,
                            81.92);
            assertThat(receiver.contentTypes()).isNotEmpty().containsOnly("application/x-protobuf");
        }
    }

    @Test
    @DisplayName("fromEnvironment(): the standard otel.exporter.otlp.endpoint setting sends to the same collector")
    void autoconfiguredFromOtelSettings() throws IOException {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            OtelRunExporter exporter = OtelRunExporter.autoconfigured(
                    Map.of("otel.exporter.otlp.endpoint", receiver.endpoint().toString()));
            ScriptedRuns.Run run = ScriptedRuns.streamingChat();
            exporter.export(run.request(), run.telemetry());

            exporter.close();

            assertThat(receiver.spans()).extracting(Span::getName).containsExactly("chat tiny-q4");
            var resource = OtlpReceiver.attributes(
                    receiver.traceRequests().get(0).getResourceSpans(0).getResource().getAttributesList());
            assertThat(resource.get("service.name").getStringValue()).isEqualTo("orket");
            assertThat(receiver.metrics()).extracting(Metric::getName).containsAll(METRIC_NAMES);
            assertThat(receiver.contentTypes()).containsOnly("application/x-protobuf");
        }
    }
}
