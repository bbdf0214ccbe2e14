package dev.orket.api;

/**
 * A control a measured run asks the server to hold fixed so that runs are repeatable.
 *
 * @since 0.1
 */
public enum ExperimentalControl implements JsonNamed {
    /** The sampling seed. */
    SEED("seed"),
    /** The sampling temperature. */
    TEMPERATURE("temperature"),
    /** The server's CPU threads. */
    THREADS("threads"),
    /** The server's context size in tokens. */
    CONTEXT_SIZE("context_size"),
    /** The CPU set the server's process is pinned to ({@code affinity_policy}). */
    AFFINITY("affinity");

    private final String jsonName;

    ExperimentalControl(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    public static ExperimentalControl fromJson(String jsonName) {
        return JsonNamed.fromJson(ExperimentalControl.class, jsonName);
    }
}
