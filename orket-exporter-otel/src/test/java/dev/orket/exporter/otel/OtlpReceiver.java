package dev.orket.exporter.otel;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A loopback OTLP/HTTP collector: accepts protobuf posts on {@code /v1/traces} and {@code /v1/metrics}, decodes them
 * with the OTLP proto classes and keeps them, answering 200 like a collector that accepted everything.
 */
final class OtlpReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
    private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", exchange -> receive(exchange, body -> traces.add(
                ExportTraceServiceRequest.parseFrom(body))));
        server.createContext("/v1/metrics", exchange -> receive(exchange, body -> metrics.add(
                ExportMetricsServiceRequest.parseFrom(body))));
        server.start();
    }

    /** The collector's base URL, e.g. {@code http://127.0.0.1:41234}. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every span received, in arrival order. */
    List<Span> spans() {
        return traces.stream()
                .flatMap(r -> r.getResourceSpansList().stream())
                .flatMap(r -> r.getScopeSpansList().stream())
                .flatMap(s -> s.getSpansList().stream())
                .toList();
    }

    /** Every trace export request received. */
    List<ExportTraceServiceRequest> traceRequests() {
        return List.copyOf(traces);
    }

    /** Every metric received, in arrival order. */
    List<Metric> metrics() {
        return metrics.stream()
                .flatMap(r -> r.getResourceMetricsList().stream())
                .flatMap(r -> r.getScopeMetricsList().stream())
                .flatMap(s -> s.getMetricsList().stream())
                .toList();
    }

    /** The Content-Type of every post. */
    List<String> contentTypes() {
        return List.copyOf(contentTypes);
    }

    /** Attributes as a map from key to OTLP value. */
    static Map<String, AnyValue> attributes(List<KeyValue> keyValues) {
        return keyValues.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private interface Decoder {
        void decode(byte[] body) throws IOException;
    }

    private void receive(HttpExchange exchange, Decoder decoder) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
            decoder.decode(in.readAllBytes());
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }
}
