package dev.orket.core.quality;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.orket.api.ConfigurationException;
import java.io.IOException;

/**
 * {@code json}: 1 when the output, stripped of white space, is exactly one JSON value (and, when a
 * {@code jsonSchema} is set, conforms to it), else 0. Schema checking needs the optional
 * {@code com.networknt:json-schema-validator} on the class path.
 *
 * @since 0.1
 */
public final class JsonScorerFactory implements QualityScorerFactory {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    @Override
    public String id() {
        return "json";
    }

    @Override
    public QualityScorer create(ScorerConfig config) {
        String schemaText = config.jsonSchema();
        JsonSchemaCheck check = null;
        if (schemaText != null) {
            try {
                check = new JsonSchemaCheck(schemaText);
            } catch (NoClassDefFoundError e) {
                throw new ConfigurationException("Quality scorer 'json' with a jsonSchema needs "
                        + "com.networknt:json-schema-validator on the class path; add it as a dependency.", e);
            }
        }
        JsonSchemaCheck schema = check;
        return new QualityScorer() {
            @Override
            public String id() {
                return "json";
            }

            @Override
            public double score(ScoringInput input) {
                String text = input.output().strip();
                if (!isOneJsonValue(text)) {
                    return 0.0;
                }
                return schema == null || schema.conforms(text) ? 1.0 : 0.0;
            }
        };
    }

    /** Whether the text is exactly one JSON value with nothing after it. */
    static boolean isOneJsonValue(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
