package dev.orket.provider.ollama;

import dev.orket.api.FailureKind;
import dev.orket.api.OrketException;
import org.jspecify.annotations.Nullable;

/**
 * A request outside a measured run ({@code /api/show}, {@code /api/ps}, {@code /api/tags},
 * {@code /api/version}, an unload) failed. Runs never throw it: their failures are telemetry.
 *
 * @since 0.1
 */
public final class OllamaRequestException extends OrketException {
    private static final long serialVersionUID = 1L;

    private final FailureKind kind;
    private final @Nullable Integer httpStatus;

    public OllamaRequestException(FailureKind kind, String message, @Nullable Integer httpStatus) {
        super(message);
        this.kind = kind;
        this.httpStatus = httpStatus;
    }

    /** What went wrong, in the canonical failure vocabulary. */
    public FailureKind kind() {
        return kind;
    }

    /** The HTTP status when the server answered, or null. */
    public @Nullable Integer httpStatus() {
        return httpStatus;
    }
}
