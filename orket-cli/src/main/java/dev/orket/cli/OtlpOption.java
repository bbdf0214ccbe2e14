package dev.orket.cli;

import dev.orket.exporter.otel.OtelRunExporter;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --otlp-endpoint URL} of {@code orket sweep} and {@code orket demo}: each run written is exported to an
 * OpenTelemetry collector as a GenAI span and client metrics ({@code docs/exporter-otel.md}); without the option, the
 * standard {@code OTEL_*} variables configure the export when one of them names an exporter or an endpoint.
 */
final class OtlpOption {

    /** The variables that ask for an export; others (a service name alone) do not. */
    private static final List<String> EXPORT_VARIABLES = List.of("OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_TRACES_EXPORTER",
            "OTEL_METRICS_EXPORTER");

    /**
     * The SDK's exporter loggers, silenced: a broken collector costs one warning from Orket, not a stack trace per
     * batch from java.util.logging. Held so that the level is not lost when the logger is collected.
     */
    private static final Logger SDK_EXPORTER_LOG = Logger.getLogger("io.opentelemetry.exporter");

    @Option(names = "--otlp-endpoint", paramLabel = "URL", description = "Export every run to this OpenTelemetry"
            + " collector (OTLP/HTTP protobuf, e.g. http://localhost:4318) as a GenAI span and client metrics;"
            + " without it, the standard OTEL_* variables configure the export when they name one. A collector that"
            + " cannot be reached costs one warning, never a run.")
    @Nullable URI endpoint;

    /** The exporter the option or the environment asks for, or null for none. */
    @Nullable OtelRunExporter open() {
        return open(System.getenv());
    }

    @Nullable OtelRunExporter open(Map<String, String> environment) {
        if (endpoint == null && EXPORT_VARIABLES.stream().noneMatch(environment::containsKey)) {
            return null;
        }
        SDK_EXPORTER_LOG.setLevel(Level.OFF);
        return endpoint != null ? OtelRunExporter.otlpHttp(endpoint) : OtelRunExporter.fromEnvironment();
    }
}
