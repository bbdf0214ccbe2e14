package dev.orket.api;

/**
 * Whether anything polluted a run's measurement.
 *
 * @since 0.1
 */
public enum RunQualityStatus implements JsonNamed {
    CLEAN,
    POLLUTED;

    @Override
    public String jsonName() {
        return name();
    }

    public static RunQualityStatus fromJson(String jsonName) {
        return JsonNamed.fromJson(RunQualityStatus.class, jsonName);
    }
}
