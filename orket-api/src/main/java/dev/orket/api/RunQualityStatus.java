package dev.orket.api;

/**
 * Whether anything polluted a run's measurement.
 *
 * @since 0.1
 */
public enum RunQualityStatus implements JsonNamed {
    CLEAN,
    POLLUTED,
    /** A spelling a newer writer used that this reader does not know; the record keeps the raw spelling. */
    UNRECOGNIZED;

    @Override
    public String jsonName() {
        return name();
    }

    public static RunQualityStatus fromJson(String jsonName) {
        return JsonNamed.fromJson(RunQualityStatus.class, jsonName);
    }
}
