package dev.orket.core.sweep;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.orket.api.ServerIdentity;
import dev.orket.core.artifact.NullableFields;
import dev.orket.core.artifact.TelemetryJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link SweepEvent} as one line of JSON, the form {@code orket sweep --json} prints: field {@code event} names
 * the event ({@link SweepEvent#eventName()}), the others are the event's, in snake_case; {@code run_finished}
 * carries the whole run telemetry record under {@code telemetry} ({@code docs/sweep.md#events}).
 *
 * @since 0.1
 */
public final class SweepEventJson {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private SweepEventJson() {}

    /** The event as one line of JSON, without a line break. */
    public static String toJson(SweepEvent event) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("event", event.eventName());
            fields(event, g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void fields(SweepEvent event, JsonGenerator g) throws IOException {
        if (event instanceof SweepEvent.SweepStarted) {
            SweepEvent.SweepStarted e = (SweepEvent.SweepStarted) event;
            g.writeStringField("sweep_id", e.sweepId());
            g.writeStringField("output_dir", e.outputDir().toString());
            g.writeStringField("execution_lane", e.executionLane().jsonName());
            g.writeStringField("vram_profile", e.vramProfile().jsonName());
            g.writeNumberField("cells", e.cells());
            g.writeNumberField("planned_runs", e.plannedRuns());
            g.writeNumberField("resumed_runs", e.resumedRuns());
            g.writeNumberField("to_run", e.toRun());
        } else if (event instanceof SweepEvent.CellStarted) {
            SweepEvent.CellStarted e = (SweepEvent.CellStarted) event;
            cell(g, e.model(), e.quant(), e.context());
            ServerIdentity server = e.server();
            NullableFields.string(g, "server_build", server.build());
            NullableFields.string(g, "server_model_file", server.modelFile());
            NullableFields.string(g, "served_quant_tag", server.servedQuantTag());
            NullableFields.bool(g, "quant_tag_verified", server.quantTagVerified(e.quant()));
            NullableFields.number(g, "server_context_size", server.contextSize());
            g.writeNumberField("runs_to_do", e.runsToDo());
        } else if (event instanceof SweepEvent.CellBlocked) {
            SweepEvent.CellBlocked e = (SweepEvent.CellBlocked) event;
            cell(g, e.model(), e.quant(), e.context());
            g.writeStringField("reason", e.reason());
        } else if (event instanceof SweepEvent.RunFinished) {
            SweepEvent.RunFinished e = (SweepEvent.RunFinished) event;
            g.writeStringField("run_id", e.runId());
            g.writeStringField("phase", e.phase().jsonName());
            g.writeNumberField("attempt", e.attempt());
            g.writeStringField("terminal_state", e.telemetry().outcome().terminalState().jsonName());
            g.writeBooleanField("valid", e.telemetry().validity().valid());
            NullableFields.number(g, "quality_score", e.qualityScore());
            g.writeNumberField("done", e.done());
            g.writeNumberField("remaining", e.remaining());
            g.writeObjectFieldStart("telemetry");
            TelemetryJson.writeFields(e.telemetry(), g);
            g.writeEndObject();
        } else if (event instanceof SweepEvent.CanaryFinished) {
            CanaryVerdict v = ((SweepEvent.CanaryFinished) event).verdict();
            g.writeBooleanField("passed", v.passed());
            g.writeNumberField("runs", v.runs());
            g.writeNumberField("valid_runs", v.validRuns());
            NullableFields.number(g, "internal_latency_cv", v.internalLatencyCv());
            NullableFields.number(g, "median_quality", v.medianQuality());
            NullableFields.number(g, "median_wall_ms", v.medianWallMs());
            g.writeArrayFieldStart("reasons");
            for (String reason : v.reasons()) {
                g.writeString(reason);
            }
            g.writeEndArray();
        } else if (event instanceof SweepEvent.ThermalWait) {
            SweepEvent.ThermalWait e = (SweepEvent.ThermalWait) event;
            g.writeStringField("run_id", e.runId());
            g.writeNumberField("waited_ms", e.waited().toMillis());
            g.writeBooleanField("settled", e.settled());
            g.writeStringField("detail", e.detail());
        } else if (event instanceof SweepEvent.TornLineRecovered) {
            SweepEvent.TornLineRecovered e = (SweepEvent.TornLineRecovered) event;
            g.writeStringField("ledger", e.ledgerFile());
            g.writeNumberField("line", e.lineNumber());
            g.writeNumberField("bytes", e.bytes());
            g.writeStringField("moved_to", e.movedTo().toString());
        } else if (event instanceof SweepEvent.Warning) {
            SweepEvent.Warning e = (SweepEvent.Warning) event;
            g.writeStringField("code", e.code());
            g.writeStringField("message", e.message());
        } else if (event instanceof SweepEvent.SweepFinished) {
            SweepOutcome o = ((SweepEvent.SweepFinished) event).outcome();
            g.writeStringField("sweep_id", o.sweepId());
            g.writeStringField("output_dir", o.outputDir().toString());
            g.writeStringField("status", o.status().name().toLowerCase(java.util.Locale.ROOT));
            g.writeNumberField("runs_executed", o.runsExecuted());
            g.writeNumberField("runs_resumed", o.runsResumed());
            g.writeObjectFieldStart("blocked_cells");
            for (Map.Entry<String, String> blocked : new TreeMap<>(o.blockedCells()).entrySet()) {
                g.writeStringField(blocked.getKey(), blocked.getValue());
            }
            g.writeEndObject();
        } else {
            throw new AssertionError(event);
        }
    }

    private static void cell(JsonGenerator g, String model, String quant, @org.jspecify.annotations.Nullable
            Integer context) throws IOException {
        g.writeStringField("model", model);
        g.writeStringField("quant_tag", quant);
        NullableFields.number(g, "context", context);
    }
}
