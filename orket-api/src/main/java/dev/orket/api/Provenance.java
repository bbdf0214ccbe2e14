package dev.orket.api;

/**
 * Where a number in a telemetry record came from.
 *
 * @since 0.1
 */
public enum Provenance implements JsonNamed {
    /** Reported by the inference server in its response (usage, timings, durations). */
    SERVER_REPORTED("server_reported"),
    /** Measured by the client on Orket's monotonic clock. */
    CLIENT_MEASURED("client_measured"),
    /** Computed by Orket from other numbers of the same record. */
    DERIVED("derived"),
    /** A spelling a newer writer used that this reader does not know; the record keeps the raw spelling. */
    UNRECOGNIZED("unrecognized");

    private final String jsonName;

    Provenance(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    public static Provenance fromJson(String jsonName) {
        return JsonNamed.fromJson(Provenance.class, jsonName);
    }
}
