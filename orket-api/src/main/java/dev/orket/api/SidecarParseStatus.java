package dev.orket.api;

/**
 * How well the GPU sidecar's output parsed. Kept from Orket's Python sidecar so artifacts stay comparable.
 *
 * @since 0.1
 */
public enum SidecarParseStatus implements JsonNamed {
    /** Every required and optional field parsed. */
    OK,
    /** Only optional fields were absent. */
    OPTIONAL_FIELD_MISSING,
    /** A required field was absent. */
    REQUIRED_FIELD_MISSING,
    /** The input could not be read as the expected format. */
    PARSE_ERROR,
    /** No sidecar data: disabled, tool missing, failed or timed out. */
    NOT_APPLICABLE,
    /** A spelling a newer writer used that this reader does not know; the record keeps the raw spelling. */
    UNRECOGNIZED;

    @Override
    public String jsonName() {
        return name();
    }

    public static SidecarParseStatus fromJson(String jsonName) {
        return JsonNamed.fromJson(SidecarParseStatus.class, jsonName);
    }
}
