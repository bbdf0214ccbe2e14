package dev.orket.api;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a server says it is serving, read from the server itself (llama.cpp {@code GET /props}; Ollama
 * {@code POST /api/show} and {@code GET /api/ps}), never assumed from the configuration. Every field is null when
 * the server does not say.
 *
 * @param build the server's build (llama.cpp {@code build_info}, Ollama version), or null
 * @param modelFile the base name of the model file the server loaded (never a full path of the user's disk), or null
 * @param servedQuantTag the quant tag the server reports for the loaded model (e.g. {@code Q4_K_M}), or null
 * @param contextSize the context size in tokens the server runs with, or null
 * @param totalSlots the number of parallel slots, or null
 * @param family the model family (e.g. {@code llama}), or null
 * @param parameterSize the model's parameter size as the server writes it (e.g. {@code 8.0B}), or null
 * @since 0.1
 */
public record ServerIdentity(
        @Nullable String build,
        @Nullable String modelFile,
        @Nullable String servedQuantTag,
        @Nullable Integer contextSize,
        @Nullable Integer totalSlots,
        @Nullable String family,
        @Nullable String parameterSize) {

    private static final ServerIdentity UNKNOWN = new ServerIdentity(null, null, null, null, null, null, null);

    public ServerIdentity {
        if (modelFile != null && (modelFile.contains("/") || modelFile.contains("\\"))) {
            throw new IllegalArgumentException("modelFile must be a base name, not a path, but was " + modelFile);
        }
        if (contextSize != null && contextSize <= 0) {
            throw new IllegalArgumentException("contextSize must be > 0 but was " + contextSize);
        }
        if (totalSlots != null && totalSlots <= 0) {
            throw new IllegalArgumentException("totalSlots must be > 0 but was " + totalSlots);
        }
    }

    /** The identity of a server that cannot say what it serves. */
    public static ServerIdentity unknown() {
        return UNKNOWN;
    }

    /** Whether the server said nothing at all. */
    public boolean isUnknown() {
        return equals(UNKNOWN);
    }

    /** The base name of a path as a server reports it ({@code /models/m-Q4_K_M.gguf} gives {@code m-Q4_K_M.gguf}). */
    public static @Nullable String baseName(@Nullable String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        String name = path.substring(slash + 1);
        return name.isEmpty() ? null : name;
    }

    /**
     * Whether the served quant is the configured one: true or false when both are known, null when either is not.
     * Tags compare without regard to case ({@code q4_K_M} is {@code Q4_K_M}).
     *
     * @param configuredQuantTag the quant tag the run was configured with, or null
     */
    public @Nullable Boolean quantTagVerified(@Nullable String configuredQuantTag) {
        if (servedQuantTag == null || configuredQuantTag == null) {
            return null;
        }
        return servedQuantTag.toUpperCase(Locale.ROOT).equals(configuredQuantTag.toUpperCase(Locale.ROOT));
    }
}
