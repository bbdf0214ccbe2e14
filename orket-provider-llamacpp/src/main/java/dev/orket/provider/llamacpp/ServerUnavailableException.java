package dev.orket.provider.llamacpp;

import dev.orket.api.OrketException;
import org.jspecify.annotations.Nullable;

/**
 * A diagnostic query ({@code /props}, {@code /v1/models}) could not be answered: the server is
 * down, loading, refused the key, or sent something unreadable. Runs never throw this: their
 * failures are data in the telemetry record.
 *
 * @since 0.1
 */
public final class ServerUnavailableException extends OrketException {
    private static final long serialVersionUID = 1L;

    private final @Nullable Integer httpStatus;

    public ServerUnavailableException(String message, @Nullable Integer httpStatus) {
        super(message);
        this.httpStatus = httpStatus;
    }

    /** The HTTP status of the answer, or null when there was none. */
    public @Nullable Integer httpStatus() {
        return httpStatus;
    }
}
