package dev.orket.exporter.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.ConfigurationException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Exporting never fails a run: one warning, no exception")
class ExportFailureTest {

    /** Where simplelogger.properties sends every log line of this test JVM. */
    private static final Path LOG = Path.of("target/orket-exporter-otel-test.log");

    private static List<String> logLines(String level, String containing) throws IOException {
        return Files.readAllLines(LOG, StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains("] " + level + " ") && line.contains(containing))
                .toList();
    }

    /** A loopback port nothing listens on: connections to it are refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Nested
    @DisplayName("when the collector cannot be reached")
    class Unreachable {

        @Test
        @DisplayName("export and close never throw, and the exporter logs exactly one warning for many failures")
        void logsOnceAndNeverThrows() throws IOException {
            String endpoint = "http://127.0.0.1:" + closedPort();
            OtelRunExporter exporter = OtelRunExporter.otlpHttp(URI.create(endpoint));
            List<ScriptedRuns.Run> runs = List.of(ScriptedRuns.streamingChat(), ScriptedRuns.serverError(),
                    ScriptedRuns.cancelled(), ScriptedRuns.nonStreamingCompletion());

            assertThatCode(() -> {
                for (ScriptedRuns.Run run : runs) {
                    exporter.export(run.request(), run.telemetry());
                }
                exporter.close();
            }).doesNotThrowAnyException();

            // Spans and metrics each failed (refused, after the quick retries): one WARN line, the rest at DEBUG.
            List<String> warnings = logLines("WARN", "OpenTelemetry export to " + endpoint + " failed");
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("java.net.ConnectException").contains("Runs and sweeps go on");
            assertThat(logLines("DEBUG", "OpenTelemetry export to " + endpoint + " failed again")).isNotEmpty();
        }
    }

    @Nested
    @DisplayName("when the caller or the OpenTelemetry it passed misbehaves")
    class Misuse {

        @Test
        @DisplayName("a record passed with another run's request is not exported, with one warning naming both runs")
        void mismatchedRequest() throws IOException {
            try (InMemoryOtel otel = new InMemoryOtel()) {
                ScriptedRuns.Run chat = ScriptedRuns.streamingChat();
                ScriptedRuns.Run other = ScriptedRuns.cancelled();

                try (OtelRunExporter exporter = OtelRunExporter.of(otel.sdk)) {
                    assertThatCode(() -> exporter.export(other.request(), chat.telemetry()))
                            .doesNotThrowAnyException();
                }

                assertThat(otel.spans()).isEmpty();
                assertThat(otel.metrics()).isEmpty();
                assertThat(logLines("WARN", "it came with the request of run run-4")).singleElement().asString()
                        .contains("run sweep-7/tiny/Q4_K_M/s1/r1 was not exported");
            }
        }

        @Test
        @DisplayName("a run exported after close() is dropped with a warning, and close() may be called twice")
        void exportAfterClose() throws IOException {
            try (InMemoryOtel otel = new InMemoryOtel()) {
                OtelRunExporter exporter = OtelRunExporter.of(otel.sdk);
                exporter.close();
                ScriptedRuns.Run run = ScriptedRuns.streamingChat();

                assertThatCode(() -> {
                    exporter.export(run.request(), run.telemetry());
                    exporter.close();
                }).doesNotThrowAnyException();

                assertThat(otel.spans()).isEmpty();
                assertThat(logLines("WARN", "arrived after close()")).singleElement().asString()
                        .contains("run sweep-7/tiny/Q4_K_M/s1/r1 arrived after close() and was not exported");
            }
        }

        @Test
        @DisplayName("a tracer that throws is reported once and never reaches the caller")
        void throwingTracer() throws IOException {
            Tracer broken = name -> {
                throw new IllegalStateException("tracer broken on purpose for span " + name);
            };
            TracerBuilder builder = new TracerBuilder() {
                @Override
                public TracerBuilder setSchemaUrl(String schemaUrl) {
                    return this;
                }

                @Override
                public TracerBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
                    return this;
                }

                @Override
                public Tracer build() {
                    return broken;
                }
            };
            TracerProvider provider = new TracerProvider() {
                @Override
                public Tracer get(String instrumentationScopeName) {
                    return broken;
                }

                @Override
                public Tracer get(String instrumentationScopeName, String instrumentationScopeVersion) {
                    return broken;
                }

                @Override
                public TracerBuilder tracerBuilder(String instrumentationScopeName) {
                    return builder;
                }
            };
            OpenTelemetry openTelemetry = new OpenTelemetry() {
                @Override
                public TracerProvider getTracerProvider() {
                    return provider;
                }

                @Override
                public ContextPropagators getPropagators() {
                    return ContextPropagators.noop();
                }
            };
            ScriptedRuns.Run run = ScriptedRuns.serverError();

            try (OtelRunExporter exporter = OtelRunExporter.of(openTelemetry)) {
                assertThatCode(() -> {
                    exporter.export(run.request(), run.telemetry());
                    exporter.export(run.request(), run.telemetry());
                }).doesNotThrowAnyException();
            }

            assertThat(logLines("WARN", "tracer broken on purpose for span text_completion tiny-q4")).hasSize(1);
            assertThat(logLines("DEBUG", "tracer broken on purpose for span text_completion tiny-q4")).hasSize(1);
        }
    }

    @Nested
    @DisplayName("an OpenTelemetry the caller owns")
    class Borrowed {

        @Test
        @DisplayName("is flushed by close() but not shut down: it keeps exporting afterwards")
        void flushedNotShutDown() {
            InMemorySpanExporter spans = InMemorySpanExporter.create();
            // A batch that would wait an hour: only a flush can deliver the span in this test.
            BatchSpanProcessor batch = BatchSpanProcessor.builder(spans).setScheduleDelay(Duration.ofHours(1)).build();
            try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(batch).build())
                    .build()) {
                ScriptedRuns.Run run = ScriptedRuns.streamingChat();
                OtelRunExporter exporter = OtelRunExporter.of(sdk);
                exporter.export(run.request(), run.telemetry());
                assertThat(spans.getFinishedSpanItems()).isEmpty();

                exporter.close();

                assertThat(spans.getFinishedSpanItems()).extracting(s -> s.getName()).containsExactly("chat tiny-q4");
                sdk.getTracer("caller").spanBuilder("after").startSpan().end();
                // forceFlush can complete while the batch worker is still handing the span over on a busy
                // machine, so wait (bounded) for the delivery instead of asserting at one instant.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (spans.getFinishedSpanItems().size() < 2 && System.nanoTime() < deadline) {
                    sdk.getSdkTracerProvider().forceFlush().join(1, TimeUnit.SECONDS);
                }
                assertThat(spans.getFinishedSpanItems()).extracting(s -> s.getName())
                        .containsExactly("chat tiny-q4", "after");
            }
        }
    }

    @Nested
    @DisplayName("misconfiguration fails at construction, naming the value")
    class Configuration {

        @Test
        @DisplayName("an endpoint that is not an absolute http(s) URL")
        void notHttp() {
            for (String endpoint : List.of("ftp://collector:4318", "localhost:4318", "/v1/traces")) {
                assertThatThrownBy(() -> OtelRunExporter.otlpHttp(URI.create(endpoint)))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining("is not an absolute http(s) URL with a host")
                        .hasMessageContaining("e.g. http://localhost:4318");
            }
        }

        @Test
        @DisplayName("an endpoint with a signal path")
        void signalPath() {
            assertThatThrownBy(() -> OtelRunExporter.otlpHttp(URI.create("http://collector:4318/v1/traces/")))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("OTLP endpoint 'http://collector:4318/v1/traces/' names one signal's path; expected "
                            + "the base URL without /v1/traces or /v1/metrics, e.g. http://localhost:4318");
        }

        @Test
        @DisplayName("an endpoint with credentials or a query, which never appear in the message")
        void credentialsInUrl() {
            for (String endpoint : List.of("http://user:s3cret@collector:4318", "http://collector:4318?token=s3cret")) {
                assertThatThrownBy(() -> OtelRunExporter.otlpHttp(URI.create(endpoint)))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessageStartingWith("OTLP endpoint 'http://collector:4318' carries user info, a query or a "
                                + "fragment; expected the base URL alone")
                        .hasMessageContaining("OTEL_EXPORTER_OTLP_HEADERS")
                        .message().doesNotContain("s3cret");
            }
        }

        @Test
        @DisplayName("an OTEL_* setting the SDK cannot apply")
        void badOtelSetting() {
            assertThatThrownBy(() -> OtelRunExporter.autoconfigured(Map.of("otel.traces.exporter", "no-such")))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("OpenTelemetry could not be configured from the OTEL_* variables: ")
                    .hasMessageContaining("no-such")
                    .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
        }

        @Test
        @DisplayName("gRPC, for which Orket ships no sender")
        void grpcProtocol() {
            assertThatThrownBy(() -> OtelRunExporter.autoconfigured(Map.of("otel.exporter.otlp.protocol", "grpc")))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("GrpcSenderProvider");
        }
    }
}
