package dev.orket.core.vram;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.ExecutionLane;
import dev.orket.api.VramProfile;
import dev.orket.core.artifact.ArtifactFormatException;
import dev.orket.core.artifact.NullableFields;
import dev.orket.core.artifact.SchemaVersion;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes {@code model_facts.json}: {@code {"schema_version": 1, "record_type":
 * "model_facts", "execution_lane": "ci", "vram_profile": "balanced", "facts": [{"model":
 * "tiny-llama", "quant_tag": "Q4_K_M", "weights_mib": 636, "layers": 16, "kv_heads": 16,
 * "key_length": 64, "value_length": 64, "kv_bytes_per_element": 2.0, "context": 2048, "source":
 * "..."}]}}. A fact
 * whose {@code model} is null applies to every model with that quant tag.
 *
 * @since 0.1
 */
public final class ModelFactsJson {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ModelFactsJson() {}

    /** The facts file's text. */
    public static String toJson(List<ModelFacts> facts, ExecutionLane lane, VramProfile profile) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("schema_version", SchemaVersion.CURRENT);
            g.writeStringField("record_type", "model_facts");
            g.writeStringField("execution_lane", lane.jsonName());
            g.writeStringField("vram_profile", profile.jsonName());
            g.writeArrayFieldStart("facts");
            for (ModelFacts f : facts) {
                g.writeStartObject();
                NullableFields.string(g, "model", f.model());
                g.writeStringField("quant_tag", f.quantTag());
                g.writeNumberField("weights_mib", f.weightsMib());
                NullableFields.number(g, "layers", f.layers());
                NullableFields.number(g, "kv_heads", f.kvHeads());
                NullableFields.number(g, "key_length", f.keyLength());
                NullableFields.number(g, "value_length", f.valueLength());
                g.writeNumberField("kv_bytes_per_element", f.kvBytesPerElement());
                NullableFields.number(g, "context", f.context());
                g.writeStringField("source", f.source());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    /**
     * Reads a facts file.
     *
     * @throws ArtifactFormatException naming the file, the fact and the field when it cannot be read
     */
    public static List<ModelFacts> read(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new ArtifactFormatException("cannot read model facts " + file + " as JSON: " + e.getMessage(), e);
        }
        JsonNode array = root == null ? null : root.get("facts");
        if (array == null || !array.isArray()) {
            throw new ArtifactFormatException("model facts " + file + ": field facts must be an array");
        }
        List<ModelFacts> facts = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode f = array.get(i);
            String where = "model facts " + file + " facts[" + i + "]";
            try {
                JsonNode model = f.path("model");
                facts.add(new ModelFacts(model.isTextual() ? model.asText() : null, requireText(f, "quant_tag", where),
                        requireLong(f, "weights_mib", where), optionalLong(f, "layers", where),
                        optionalLong(f, "kv_heads", where), optionalLong(f, "key_length", where),
                        optionalLong(f, "value_length", where),
                        f.path("kv_bytes_per_element").isNumber() ? f.path("kv_bytes_per_element").asDouble() : 2.0,
                        context(f, where),
                        f.path("source").isTextual() ? f.path("source").asText() : "model_facts:" + file.getFileName()));
            } catch (IllegalArgumentException e) {
                throw new ArtifactFormatException(where + ": " + e.getMessage(), e);
            }
        }
        return facts;
    }

    private static @Nullable Integer context(JsonNode node, String where) {
        Long value = optionalLong(node, "context", where);
        if (value != null && (value < 1 || value > Integer.MAX_VALUE)) {
            throw new ArtifactFormatException(where + ": field context must be a positive token count but was " + value);
        }
        return value == null ? null : value.intValue();
    }

    private static String requireText(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new ArtifactFormatException(where + ": field " + field + " must be a string but was '" + value + "'");
        }
        return value.asText();
    }

    private static long requireLong(JsonNode node, String field, String where) {
        Long value = optionalLong(node, field, where);
        if (value == null) {
            throw new ArtifactFormatException(where + ": field " + field + " is required");
        }
        return value;
    }

    private static @Nullable Long optionalLong(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        if (value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw new ArtifactFormatException(where + ": field " + field + " must be an integer but was '" + value
                    + "'");
        }
        return value.asLong();
    }
}
