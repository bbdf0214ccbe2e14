package dev.orket.exporter.otel;

import dev.orket.api.ConfigurationException;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.core.sweep.SweepEvent;
import dev.orket.core.sweep.SweepListener;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Exports each finished run to OpenTelemetry: one span and the GenAI client metrics of the OpenTelemetry GenAI
 * semantic conventions, with Orket's own figures under {@code orket.*} (the mapping is {@code docs/exporter-otel.md}).
 *
 * <p>Exporting never fails a run or a sweep: {@link #export} and {@link #close} never throw, and the first failure
 * to map or send is logged once as a warning (later ones at DEBUG). {@link #close} flushes every span and metric
 * before it returns. Thread-safe.
 *
 * <pre>{@code
 * try (OtelRunExporter exporter = OtelRunExporter.otlpHttp(URI.create("http://localhost:4318"))) {
 *     RunResult result = executor.execute(provider, request);
 *     exporter.export(request, result.telemetry());
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class OtelRunExporter implements AutoCloseable {

    /** The instrumentation scope of the spans and metrics. */
    public static final String SCOPE_NAME = "dev.orket.exporter.otel";

    /** How long {@link #close} waits for the flush, and then for the shutdown of an SDK it owns, in seconds. */
    static final long CLOSE_SECONDS = 10;

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");
    private static final String ORKET = "orket";

    /**
     * Defaults under the {@code OTEL_*} variables: OTLP over HTTP/protobuf (the Java SDK's own default is gRPC, for
     * which Orket ships no sender), the service {@code orket}, and no log exporter because Orket sends no log records
     * through OpenTelemetry. Any variable or system property overrides them.
     */
    private static final Map<String, String> AUTOCONFIGURE_DEFAULTS = Map.of(
            "otel.exporter.otlp.protocol", "http/protobuf",
            "otel.service.name", ORKET,
            "otel.logs.exporter", "none");

    /**
     * A few quick retries, not the SDK's five with back-off up to 5 s: a command flushes on exit, and an endpoint
     * that is down should cost it about a second, not half a minute.
     */
    private static final RetryPolicy OTLP_RETRY = RetryPolicy.builder()
            .setMaxAttempts(3)
            .setInitialBackoff(Duration.ofMillis(250))
            .setMaxBackoff(Duration.ofSeconds(1))
            .build();

    private final OpenTelemetry openTelemetry;
    private final boolean ownsSdk;
    private final ExportWatch watch;
    private final RunSpans spans;
    private final RunMetrics metrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OtelRunExporter(OpenTelemetry openTelemetry, boolean ownsSdk, ExportWatch watch) {
        this.openTelemetry = openTelemetry;
        this.ownsSdk = ownsSdk;
        this.watch = watch;
        String version = implementationVersion();
        TracerBuilder tracer = openTelemetry.tracerBuilder(SCOPE_NAME);
        MeterBuilder meter = openTelemetry.meterBuilder(SCOPE_NAME);
        if (version != null) {
            tracer.setInstrumentationVersion(version);
            meter.setInstrumentationVersion(version);
        }
        this.spans = new RunSpans(tracer.build());
        this.metrics = new RunMetrics(meter.build());
    }

    /**
     * An exporter into an OpenTelemetry the caller owns (an embedding application's, or a test's in-memory SDK).
     * {@link #close} force-flushes it when it is an {@link OpenTelemetrySdk} and never shuts it down.
     *
     * @param openTelemetry where spans and metrics go, never null
     */
    public static OtelRunExporter of(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        return new OtelRunExporter(openTelemetry, false, new ExportWatch("the caller's OpenTelemetry"));
    }

    /**
     * An exporter configured by the standard {@code OTEL_*} environment variables and {@code otel.*} system
     * properties through the SDK's autoconfiguration ({@code OTEL_EXPORTER_OTLP_ENDPOINT},
     * {@code OTEL_EXPORTER_OTLP_HEADERS}, {@code OTEL_SERVICE_NAME}, {@code OTEL_RESOURCE_ATTRIBUTES}, …; by default
     * OTLP/HTTP protobuf to {@code http://localhost:4318}, service name {@code orket}). It owns the SDK it builds and
     * shuts it down on {@link #close}.
     *
     * @throws ConfigurationException when the variables cannot be applied (an unknown exporter name, a malformed
     *     value), naming the setting
     */
    public static OtelRunExporter fromEnvironment() {
        return autoconfigured(Map.of());
    }

    /** {@link #fromEnvironment()} with some properties set over the environment's; for tests. */
    static OtelRunExporter autoconfigured(Map<String, String> overrides) {
        ExportWatch watch = new ExportWatch("the endpoint the OTEL_* settings name (OTEL_EXPORTER_OTLP_ENDPOINT, "
                + "default http://localhost:4318)");
        OpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> AUTOCONFIGURE_DEFAULTS)
                    .addPropertiesCustomizer(config -> overrides)
                    .addSpanExporterCustomizer((exporter, config) -> watch.watch(exporter))
                    .addMetricExporterCustomizer((exporter, config) -> watch.watch(exporter))
                    // close() is the contract; a hook per exporter would keep every SDK reachable until exit.
                    .disableShutdownHook()
                    .build()
                    .getOpenTelemetrySdk();
        } catch (io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException e) {
            throw new ConfigurationException("OpenTelemetry could not be configured from the OTEL_* variables: "
                    + causes(e) + ". Fix or unset that variable; Orket sends OTLP over HTTP only "
                    + "(OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf), see docs/exporter-otel.md.", e);
        }
        return new OtelRunExporter(sdk, true, watch);
    }

    /**
     * An exporter that sends traces and metrics over OTLP/HTTP (protobuf) to one collector, e.g.
     * {@code http://localhost:4318}: spans to {@code <endpoint>/v1/traces} in batches, metrics to
     * {@code <endpoint>/v1/metrics} every 60 s and on {@link #close}. Service name {@code orket}; the {@code OTEL_*}
     * variables are not read (use {@link #fromEnvironment()} for headers, resource attributes or sampling). It owns
     * the SDK it builds and shuts it down on {@link #close}.
     *
     * @param endpoint the collector's OTLP/HTTP base URL, without {@code /v1/traces}
     * @throws ConfigurationException when the endpoint is not an absolute http(s) URL with a host, carries user info,
     *     a query or a fragment, or already ends in a signal path
     */
    public static OtelRunExporter otlpHttp(URI endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        String base = baseUrl(endpoint);
        ExportWatch watch = new ExportWatch(redacted(endpoint));
        AttributesBuilder service = Attributes.builder().put(SERVICE_NAME, ORKET);
        String version = implementationVersion();
        if (version != null) {
            service.put(SERVICE_VERSION, version);
        }
        Resource resource = Resource.getDefault().merge(Resource.create(service.build()));
        OtlpHttpSpanExporter spanExporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(base + "/v1/traces")
                .setRetryPolicy(OTLP_RETRY)
                .build();
        OtlpHttpMetricExporter metricExporter = OtlpHttpMetricExporter.builder()
                .setEndpoint(base + "/v1/metrics")
                .setRetryPolicy(OTLP_RETRY)
                .build();
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                .setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(watch.watch(spanExporter)).build())
                .build();
        SdkMeterProvider meterProvider = SdkMeterProvider.builder()
                .setResource(resource)
                .registerMetricReader(PeriodicMetricReader.builder(watch.watch(metricExporter)).build())
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider)
                .setMeterProvider(meterProvider)
                .build();
        return new OtelRunExporter(sdk, true, watch);
    }

    /**
     * Exports one finished run: its span and its metrics. Never throws: a run that cannot be mapped, or an exporter
     * already closed, is reported like an export failure (one warning per exporter, then DEBUG).
     *
     * @param request the request that was run: it carries what the record lacks (prompt style, max tokens, seed,
     *     temperature, warm-up); its run id must be the record's
     * @param telemetry the run's telemetry record
     */
    public void export(RunRequest request, RunTelemetry telemetry) {
        try {
            String runId = telemetry.identity().runId();
            if (closed.get()) {
                watch.failed("run " + runId + " arrived after close() and was not exported", null);
                return;
            }
            if (!request.runId().equals(runId)) {
                watch.failed("run " + runId + " was not exported: it came with the request of run "
                        + request.runId() + "; pass the request that produced the record", null);
                return;
            }
            spans.emit(request, telemetry);
            metrics.record(request, telemetry);
        } catch (RuntimeException e) {
            // A mapping bug must not end a sweep; it is reported like a failed export.
            watch.failed("a run could not be mapped", e);
        }
    }

    /**
     * A sweep listener exporting every run the sweep writes ({@link SweepEvent.RunFinished}), warm-ups and canary runs
     * included (their spans say so): {@code SweepEngine.builder().listener(exporter.sweepListener())}.
     */
    public SweepListener sweepListener() {
        return event -> {
            if (event instanceof SweepEvent.RunFinished) {
                SweepEvent.RunFinished run = (SweepEvent.RunFinished) event;
                export(run.request(), run.telemetry());
            }
        };
    }

    /**
     * Flushes every span and metric, then shuts down the SDK this exporter built (never one passed to
     * {@link #of}). Waits at most 10 s for the flush and as long for the shutdown. Never throws;
     * idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (openTelemetry instanceof OpenTelemetrySdk) {
                OpenTelemetrySdk sdk = (OpenTelemetrySdk) openTelemetry;
                CompletableResultCode flush = CompletableResultCode.ofAll(List.of(
                        sdk.getSdkTracerProvider().forceFlush(), sdk.getSdkMeterProvider().forceFlush()));
                flush.join(CLOSE_SECONDS, TimeUnit.SECONDS);
                if (!flush.isDone()) {
                    watch.failed("the flush on close did not finish within " + CLOSE_SECONDS + " s", null);
                }
                if (ownsSdk) {
                    sdk.shutdown().join(CLOSE_SECONDS, TimeUnit.SECONDS);
                }
            }
        } catch (RuntimeException e) {
            watch.failed("close() could not flush", e);
        }
    }

    private static String baseUrl(URI endpoint) {
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        boolean http = scheme.equals("http") || scheme.equals("https");
        if (!endpoint.isAbsolute() || endpoint.getHost() == null || !http) {
            throw new ConfigurationException("OTLP endpoint '" + redacted(endpoint) + "' is not an absolute http(s) "
                    + "URL with a host; expected the collector's OTLP/HTTP base URL, e.g. http://localhost:4318");
        }
        if (endpoint.getRawUserInfo() != null || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
            throw new ConfigurationException("OTLP endpoint '" + redacted(endpoint) + "' carries user info, a query or "
                    + "a fragment; expected the base URL alone, e.g. http://localhost:4318. Send credentials as "
                    + "headers: OTEL_EXPORTER_OTLP_HEADERS with OtelRunExporter.fromEnvironment()");
        }
        String text = endpoint.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith("/v1/traces") || text.endsWith("/v1/metrics")) {
            throw new ConfigurationException("OTLP endpoint '" + redacted(endpoint) + "' names one signal's path; "
                    + "expected the base URL without /v1/traces or /v1/metrics, e.g. http://localhost:4318");
        }
        return text;
    }

    /** The endpoint without user info, query or fragment, so that a warning never shows a credential. */
    private static String redacted(URI endpoint) {
        if (endpoint.getHost() == null) {
            return endpoint.getScheme() == null ? "<relative URL>" : endpoint.getScheme() + ":<opaque>";
        }
        String port = endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort();
        return endpoint.getScheme() + "://" + endpoint.getHost() + port
                + (endpoint.getRawPath() == null ? "" : endpoint.getRawPath());
    }

    /** The messages of an exception and its causes, outermost first: the SDK wraps the one that names the setting. */
    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 8; depth++, cause = cause.getCause()) {
            text.append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    private static @Nullable String implementationVersion() {
        return OtelRunExporter.class.getPackage().getImplementationVersion();
    }
}
