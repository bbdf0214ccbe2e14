package dev.orket.api;

/**
 * What a provider can do. A declared capability must work; an undeclared one fails with
 * {@link UnsupportedCapabilityException}.
 *
 * @since 0.1
 */
public enum Capability implements JsonNamed {
    STREAMING("streaming"),
    NON_STREAMING("non_streaming"),
    SERVER_TIMINGS("server_timings"),
    TOKEN_COUNTS("token_counts"),
    MODEL_LISTING("model_listing");

    private final String jsonName;

    Capability(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }
}
