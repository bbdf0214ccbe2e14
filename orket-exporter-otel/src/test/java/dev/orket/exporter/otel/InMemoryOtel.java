package dev.orket.exporter.otel;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Collection;
import java.util.List;

/** An SDK that keeps what it receives in memory: the SDK's own testing exporters behind a test's exporter. */
final class InMemoryOtel implements AutoCloseable {

    final InMemorySpanExporter spanExporter = InMemorySpanExporter.create();
    final InMemoryMetricReader metricReader = InMemoryMetricReader.create();
    final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spanExporter))
                    .build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metricReader).build())
            .build();

    /** Exports each run through a new exporter on this SDK, then closes the exporter. */
    void export(ScriptedRuns.Run... runs) {
        try (OtelRunExporter exporter = OtelRunExporter.of(sdk)) {
            for (ScriptedRuns.Run run : runs) {
                exporter.export(run.request(), run.telemetry());
            }
        }
    }

    List<SpanData> spans() {
        return spanExporter.getFinishedSpanItems();
    }

    Collection<MetricData> metrics() {
        return metricReader.collectAllMetrics();
    }

    @Override
    public void close() {
        sdk.close();
    }
}
