package dev.orket.core.sweep;

import dev.orket.api.JsonNamed;

/**
 * What the VRAM pre-flight does with a cell whose estimate exceeds the profile's cap.
 *
 * @since 0.1
 */
public enum PreflightMode implements JsonNamed {
    /** Block the cell: it does not run, and the summary says why. */
    STRICT("strict"),
    /** Run the cell and tag its runs {@code VRAM_CAP_EXCEEDED}. */
    EXTENDED("extended"),
    /** No pre-flight. */
    OFF("off");

    private final String jsonName;

    PreflightMode(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    public static PreflightMode fromJson(String jsonName) {
        return JsonNamed.fromJson(PreflightMode.class, jsonName);
    }
}
