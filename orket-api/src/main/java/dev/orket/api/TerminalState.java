package dev.orket.api;

/**
 * How a run ended. Every run ends in exactly one.
 *
 * @since 0.1
 */
public enum TerminalState implements JsonNamed {
    COMPLETED,
    FAILED,
    CANCELLED,
    /** A spelling a newer writer used that this reader does not know; the record keeps the raw spelling. */
    UNRECOGNIZED;

    @Override
    public String jsonName() {
        return name();
    }

    public static TerminalState fromJson(String jsonName) {
        return JsonNamed.fromJson(TerminalState.class, jsonName);
    }
}
