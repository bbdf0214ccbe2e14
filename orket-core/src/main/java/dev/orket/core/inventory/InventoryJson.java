package dev.orket.core.inventory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.orket.api.ExecutionLane;
import dev.orket.api.VramProfile;
import dev.orket.core.artifact.NullableFields;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.jspecify.annotations.Nullable;

/**
 * Writes an inventory as one pretty-printed JSON object with snake_case keys, what
 * {@code orket inventory DIR} prints.
 *
 * @since 0.1
 */
public final class InventoryJson {

    /** The inventory schema version. */
    public static final int SCHEMA_VERSION = 1;

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private InventoryJson() {}

    /** The inventory as JSON text, labelled with the {@code lab} lane and the {@code balanced} profile. */
    public static String toJson(Inventory inventory) {
        return toJson(inventory, ExecutionLane.LAB, VramProfile.BALANCED);
    }

    /** The inventory as JSON text, labelled with the lane and profile its models are meant for. */
    public static String toJson(Inventory inventory, ExecutionLane lane, VramProfile profile) {
        StringWriter out = new StringWriter();
        write(inventory, lane, profile, out);
        return out.toString();
    }

    /** Writes the inventory labelled {@code lab}/{@code balanced}; the writer is flushed, not closed. */
    public static void write(Inventory inventory, Writer out) {
        write(inventory, ExecutionLane.LAB, VramProfile.BALANCED, out);
    }

    /** Writes the inventory with its lane and profile; the writer is flushed, not closed. */
    public static void write(Inventory inventory, ExecutionLane lane, VramProfile profile, Writer out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("schema_version", SCHEMA_VERSION);
            g.writeStringField("record_type", "model_inventory");
            // Every artifact carries its lane and profile, so that results are compared only where they match.
            g.writeStringField("execution_lane", lane.jsonName());
            g.writeStringField("vram_profile", profile.jsonName());
            g.writeStringField("root", inventory.root());
            g.writeArrayFieldStart("models");
            for (ModelFile model : inventory.models()) {
                writeModel(model, g);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("problems");
            for (InventoryProblem problem : inventory.problems()) {
                g.writeStartObject();
                g.writeStringField("path", problem.relativePath());
                g.writeStringField("reason", problem.reason());
                g.writeStringField("message", problem.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeModel(ModelFile model, JsonGenerator g) throws IOException {
        GgufHeader h = model.header();
        g.writeStartObject();
        g.writeStringField("path", model.relativePath());
        g.writeNumberField("file_size_bytes", model.fileSizeBytes());
        g.writeNumberField("gguf_version", h.ggufVersion());
        g.writeStringField("architecture", h.architecture());
        NullableFields.string(g, "name", h.name());
        NullableFields.number(g, "file_type", h.fileType());
        NullableFields.string(g, "quant_tag", h.quantTag());
        QuantType type = QuantType.fromTag(h.quantTag());
        if (type == null) {
            g.writeNullField("bits_per_weight");
        } else {
            g.writeNumberField("bits_per_weight", type.bitsPerWeight());
        }
        g.writeNumberField("parameter_count", h.parameterCount());
        NullableFields.number(g, "context_length", h.contextLength());
        NullableFields.number(g, "layer_count", h.layerCount());
        NullableFields.number(g, "embedding_length", h.embeddingLength());
        NullableFields.number(g, "head_count", h.headCount());
        NullableFields.number(g, "head_count_kv", h.headCountKv());
        NullableFields.number(g, "head_dim", h.headDimKey());
        g.writeNumberField("tensor_count", h.tensorCount());
        g.writeNumberField("tensor_data_offset", h.tensorDataOffset());
        g.writeNumberField("tensor_data_bytes", h.tensorDataBytes());
        g.writeStringField("digest_status", model.digestStatus().jsonName());
        NullableFields.string(g, "sha256", model.sha256());
        g.writeEndObject();
    }

}
