package dev.orket.core.select;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.orket.core.artifact.NullableFields;
import dev.orket.core.artifact.SchemaVersion;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link Selection} ({@code docs/specs/model-selection.schema.json}): {@code {"model",
 * "quant_tag", "context", "reasons", "runner_up", "decision", "figures", "constraints",
 * "candidates", "execution_lane", "vram_profile", …}}.
 *
 * @since 0.1
 */
public final class SelectionJson {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private SelectionJson() {}

    /** The selection as pretty-printed JSON. */
    public static String toJson(Selection selection) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("schema_version", SchemaVersion.CURRENT);
            g.writeStringField("record_type", "model_selection");
            g.writeStringField("execution_lane", selection.executionLane().jsonName());
            g.writeStringField("vram_profile", selection.vramProfile().jsonName());
            Candidate winner = selection.winner();
            NullableFields.string(g, "model", winner == null ? null : winner.model());
            NullableFields.string(g, "quant_tag", winner == null ? null : winner.quantTag());
            NullableFields.number(g, "context", winner == null ? null : winner.context());
            NullableFields.string(g, "decision", selection.decision());
            g.writeArrayFieldStart("reasons");
            for (String reason : selection.reasons()) {
                g.writeString(reason);
            }
            g.writeEndArray();
            g.writeFieldName("figures");
            figures(g, winner);
            g.writeFieldName("runner_up");
            Candidate runnerUp = selection.runnerUp();
            if (runnerUp == null) {
                g.writeNull();
            } else {
                candidate(g, runnerUp);
            }
            g.writeObjectFieldStart("constraints");
            SelectionConstraints c = selection.constraints();
            g.writeNumberField("vram_budget_mib", c.vramBudgetMib());
            g.writeNumberField("quality_floor", c.qualityFloor());
            NullableFields.number(g, "latency_ceiling_ms", c.latencyCeilingMs());
            NullableFields.number(g, "context", c.context());
            g.writeEndObject();
            g.writeArrayFieldStart("candidates");
            for (Candidate candidate : selection.candidates()) {
                candidate(g, candidate);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void candidate(JsonGenerator g, Candidate c) throws IOException {
        g.writeStartObject();
        g.writeStringField("model", c.model());
        NullableFields.string(g, "quant_tag", c.quantTag());
        NullableFields.number(g, "context", c.context());
        g.writeStringField("source", c.source());
        g.writeBooleanField("eligible", c.eligible());
        g.writeArrayFieldStart("blocked_by");
        for (SelectionBlock block : c.blockedBy()) {
            g.writeString(block.jsonName());
        }
        g.writeEndArray();
        g.writeFieldName("figures");
        figures(g, c);
        g.writeEndObject();
    }

    private static void figures(JsonGenerator g, @Nullable Candidate c) throws IOException {
        if (c == null) {
            g.writeNull();
            return;
        }
        Candidate.Figures f = c.figures();
        g.writeStartObject();
        NullableFields.number(g, "quality_score", f.quality());
        NullableFields.number(g, "generation_tokens_per_second", f.speed());
        NullableFields.number(g, "peak_vram_used_mb", f.vramMib());
        NullableFields.number(g, "client_ttft_ms", f.ttftMs());
        NullableFields.bool(g, "context_passed", f.contextPassed());
        g.writeEndObject();
    }
}
