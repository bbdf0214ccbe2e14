package dev.orket.exporter.otel;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices export failures of one {@link OtelRunExporter} and logs the first as a single warning; later ones go to
 * DEBUG. A collector that is down would otherwise produce a warning per batch for as long as a sweep runs.
 */
final class ExportWatch {

    private static final Logger LOG = LoggerFactory.getLogger(OtelRunExporter.class);

    private final String destination;
    private final AtomicBoolean warned = new AtomicBoolean();

    /**
     * A watch for one destination.
     *
     * @param destination where the exporter sends, for the warning; never holds credentials or headers
     */
    ExportWatch(String destination) {
        this.destination = destination;
    }

    /** Reports one failure: the first is a warning, the rest are DEBUG lines. */
    void failed(String what, @Nullable Throwable cause) {
        String detail = describe(cause);
        if (warned.compareAndSet(false, true)) {
            LOG.warn("OpenTelemetry export to {} failed: {}{}. Runs and sweeps go on; further export failures of this "
                    + "exporter are logged at DEBUG only.", destination, what, detail);
        } else {
            LOG.debug("OpenTelemetry export to {} failed again: {}{}", destination, what, detail);
        }
    }

    /** Whether a failure was reported. */
    boolean hasFailed() {
        return warned.get();
    }

    /** The span exporter, reporting its failed exports here. */
    SpanExporter watch(SpanExporter delegate) {
        return new WatchedSpanExporter(delegate, this);
    }

    /** The metric exporter, reporting its failed exports here. */
    MetricExporter watch(MetricExporter delegate) {
        return new WatchedMetricExporter(delegate, this);
    }

    private CompletableResultCode observe(String what, CompletableResultCode result) {
        result.whenComplete(() -> {
            if (!result.isSuccess()) {
                failed(what, result.getFailureThrowable());
            }
        });
        return result;
    }

    private static String describe(@Nullable Throwable cause) {
        if (cause == null) {
            return "";
        }
        // The SDK wraps the transport's exception; its cause (e.g. java.net.ConnectException) says what happened.
        Throwable root = cause.getCause() != null ? cause.getCause() : cause;
        String message = root.getMessage();
        return " (" + root.getClass().getName() + (message == null ? "" : ": " + message) + ")";
    }

    private static final class WatchedSpanExporter implements SpanExporter {
        private final SpanExporter delegate;
        private final ExportWatch watch;

        WatchedSpanExporter(SpanExporter delegate, ExportWatch watch) {
            this.delegate = delegate;
            this.watch = watch;
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return watch.observe("could not send " + spans.size() + " span(s)", delegate.export(spans));
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }

        @Override
        public String toString() {
            return "WatchedSpanExporter{" + delegate + "}";
        }
    }

    private static final class WatchedMetricExporter implements MetricExporter {
        private final MetricExporter delegate;
        private final ExportWatch watch;

        WatchedMetricExporter(MetricExporter delegate, ExportWatch watch) {
            this.delegate = delegate;
            this.watch = watch;
        }

        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            return watch.observe("could not send " + metrics.size() + " metric(s)", delegate.export(metrics));
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return delegate.getAggregationTemporality(instrumentType);
        }

        @Override
        public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
            return delegate.getDefaultAggregation(instrumentType);
        }

        @Override
        public MemoryMode getMemoryMode() {
            return delegate.getMemoryMode();
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }

        @Override
        public String toString() {
            return "WatchedMetricExporter{" + delegate + "}";
        }
    }
}
