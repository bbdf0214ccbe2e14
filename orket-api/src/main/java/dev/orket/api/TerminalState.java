package dev.orket.api;

/**
 * How a run ended. Every run ends in exactly one.
 *
 * @since 0.1
 */
public enum TerminalState implements JsonNamed {
    COMPLETED,
    FAILED,
    CANCELLED;

    @Override
    public String jsonName() {
        return name();
    }

    public static TerminalState fromJson(String jsonName) {
        return JsonNamed.fromJson(TerminalState.class, jsonName);
    }
}
