package dev.orket.api;

/**
 * Whether a requested experimental control reached the server.
 *
 * @since 0.1
 */
public enum ControlStatus implements JsonNamed {
    /** The control was passed to the server and the server holds it (per request or from its start). */
    APPLIED("applied"),
    /** The run did not ask for the control, or it means nothing for this server. */
    NOT_APPLICABLE("not_applicable"),
    /** The run asked for the control and it did not reach the server; the detail says why. */
    NOT_APPLIED("not_applied"),
    /** A status a newer writer recorded that this reader does not know; the record keeps the raw spelling. */
    UNRECOGNIZED("unrecognized");

    private final String jsonName;

    ControlStatus(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    public static ControlStatus fromJson(String jsonName) {
        return JsonNamed.fromJson(ControlStatus.class, jsonName);
    }
}
