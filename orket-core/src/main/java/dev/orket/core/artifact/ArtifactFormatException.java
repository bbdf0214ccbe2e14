package dev.orket.core.artifact;

import dev.orket.api.OrketException;

/**
 * An artifact could not be read: the message names the field, the offending value and where it was.
 *
 * @since 0.1
 */
public final class ArtifactFormatException extends OrketException {
    private static final long serialVersionUID = 1L;

    public ArtifactFormatException(String message) {
        super(message);
    }

    public ArtifactFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
