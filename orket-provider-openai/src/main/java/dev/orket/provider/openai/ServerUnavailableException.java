package dev.orket.provider.openai;

import dev.orket.api.OrketException;
import org.jspecify.annotations.Nullable;

/**
 * A call outside a run ({@code /v1/models}) could not be answered: the server is down, loading, refused the key,
 * missed the admin deadline, or sent something unreadable. The message names the endpoint. Runs never throw this:
 * their failures are data in the telemetry record.
 *
 * @since 0.2
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
