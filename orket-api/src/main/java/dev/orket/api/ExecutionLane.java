package dev.orket.api;

/**
 * Where a run was measured. Results are comparable only within one lane.
 *
 * @since 0.1
 */
public enum ExecutionLane implements JsonNamed {
    /** Fast, deterministic, hardware-free: simulated server and scripted sidecar. */
    CI("ci"),
    /** Real servers on a real GPU: recommendation-grade evidence. */
    LAB("lab"),
    /** A spelling a newer writer used that this reader does not know; the record keeps the raw spelling. */
    UNRECOGNIZED("unrecognized");

    private final String jsonName;

    ExecutionLane(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    public static ExecutionLane fromJson(String jsonName) {
        return JsonNamed.fromJson(ExecutionLane.class, jsonName);
    }
}
