package dev.orket.core.vram;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.orket.core.artifact.NullableFields;
import dev.orket.core.artifact.SchemaVersion;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes a {@link VramAnalysis} as JSON ({@code docs/specs/vram-analysis.schema.json}): {@code
 * {"schema_version", "record_type": "vram_analysis", "execution_lane", "vram_profile", "sweep_id",
 * "informational": true, "thresholds": {…}, "cells": [{"model", "quant_tag", "context",
 * "weights_mib", "kv_cache_mib", "baseline_mib", "measured_peak_mib", "unexplained_mib", …}]}}.
 *
 * @since 0.1
 */
public final class VramAnalysisJson {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private VramAnalysisJson() {}

    /** The analysis as pretty-printed JSON. */
    public static String toJson(VramAnalysis analysis) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("schema_version", SchemaVersion.CURRENT);
            g.writeStringField("record_type", "vram_analysis");
            g.writeStringField("execution_lane", analysis.executionLane().jsonName());
            g.writeStringField("vram_profile", analysis.vramProfile().jsonName());
            g.writeStringField("sweep_id", analysis.sweepId());
            // Informational, never a gate: recorded so that no reader mistakes it for one.
            g.writeBooleanField("informational", true);
            g.writeObjectFieldStart("thresholds");
            g.writeNumberField("unexplained_share", analysis.thresholds().unexplainedShare());
            g.writeNumberField("slope_mib_per_run", analysis.thresholds().slopeMibPerRun());
            g.writeNumberField("min_runs_for_slope", analysis.thresholds().minRunsForSlope());
            g.writeEndObject();
            g.writeArrayFieldStart("cells");
            for (VramCell cell : analysis.cells()) {
                writeCell(g, cell);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeCell(JsonGenerator g, VramCell cell) throws IOException {
        VramCell.Breakdown b = cell.breakdown();
        g.writeStartObject();
        g.writeStringField("model", cell.model());
        NullableFields.string(g, "quant_tag", cell.quantTag());
        NullableFields.number(g, "context", cell.context());
        NullableFields.string(g, "context_source", cell.contextSource() == null ? null : cell.contextSource().jsonName());
        g.writeNumberField("runs", cell.trend().runs());
        NullableFields.number(g, "weights_mib", b.weightsMib());
        NullableFields.number(g, "kv_cache_mib", b.kvCacheMib());
        NullableFields.number(g, "baseline_mib", b.baselineMib());
        NullableFields.number(g, "measured_peak_mib", b.measuredPeakMib());
        NullableFields.number(g, "unexplained_mib", b.unexplainedMib());
        NullableFields.number(g, "unexplained_share", b.unexplainedShare());
        NullableFields.string(g, "facts_source", b.factsSource());
        g.writeArrayFieldStart("post_run_vram_mib");
        for (long v : cell.trend().postRunMib()) {
            g.writeNumber(v);
        }
        g.writeEndArray();
        NullableFields.number(g, "post_run_slope_mib_per_run", cell.trend().slopeMibPerRun());
        g.writeArrayFieldStart("flags");
        for (VramFlag flag : cell.flags()) {
            g.writeString(flag.jsonName());
        }
        g.writeEndArray();
        g.writeObjectFieldStart("unavailable_reasons");
        for (Map.Entry<String, VramUnavailableReason> reason : cell.unavailableReasons().entrySet()) {
            g.writeStringField(reason.getKey(), reason.getValue().jsonName());
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
