/**
 * Export of Orket runs to OpenTelemetry: {@link dev.orket.exporter.otel.OtelRunExporter} turns each finished run's
 * {@link dev.orket.api.RunTelemetry} record into one span and the GenAI client metrics of the OpenTelemetry GenAI
 * semantic conventions, with Orket's own figures under {@code orket.*}, and sends them over OTLP/HTTP (configured by
 * the standard {@code OTEL_*} variables or one endpoint) or into an {@link io.opentelemetry.api.OpenTelemetry} the
 * embedder owns. Exporting never fails a run: the first failure is logged once and the rest are dropped quietly.
 */
@NullMarked
package dev.orket.exporter.otel;

import org.jspecify.annotations.NullMarked;
