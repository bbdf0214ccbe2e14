package dev.orket.api;

/**
 * Whether the server reported token counts (prompt and output) and timings (prompt and generation
 * durations) for a run.
 *
 * @since 0.1
 */
public enum TokenMetricsStatus implements JsonNamed {
    OK,
    TOKEN_COUNT_UNAVAILABLE,
    TIMING_UNAVAILABLE,
    TOKEN_AND_TIMING_UNAVAILABLE,
    /** A spelling a newer writer used that this reader does not know; the record keeps the raw spelling. */
    UNRECOGNIZED;

    @Override
    public String jsonName() {
        return name();
    }

    /** The status for the given availability of counts and timings. */
    public static TokenMetricsStatus of(boolean tokenCountsAvailable, boolean timingsAvailable) {
        if (tokenCountsAvailable) {
            return timingsAvailable ? OK : TIMING_UNAVAILABLE;
        }
        return timingsAvailable ? TOKEN_COUNT_UNAVAILABLE : TOKEN_AND_TIMING_UNAVAILABLE;
    }

    public static TokenMetricsStatus fromJson(String jsonName) {
        return JsonNamed.fromJson(TokenMetricsStatus.class, jsonName);
    }
}
