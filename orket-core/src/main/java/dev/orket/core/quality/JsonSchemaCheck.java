package dev.orket.core.quality;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.orket.api.ConfigurationException;

/**
 * The JSON Schema check of the {@code json} scorer, kept apart so that the optional validator is
 * loaded only when a schema is configured.
 */
final class JsonSchemaCheck {

    private final JsonSchema schema;

    JsonSchemaCheck(String schemaText) {
        if (!JsonScorerFactory.isOneJsonValue(schemaText.strip())) {
            throw new ConfigurationException("Quality scorer 'json': jsonSchema is not valid JSON: '"
                    + JsonScorerFactory.firstLine(schemaText) + "'. Fix the 'jsonSchema' setting.");
        }
        try {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaText);
        } catch (RuntimeException e) {
            throw new ConfigurationException("Quality scorer 'json': jsonSchema cannot be loaded: " + e.getMessage()
                    + ". Fix the 'jsonSchema' setting.", e);
        }
    }

    boolean conforms(String json) {
        return schema.validate(json, InputFormat.JSON).isEmpty();
    }
}
