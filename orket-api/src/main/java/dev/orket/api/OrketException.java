package dev.orket.api;

/**
 * Misuse or misconfiguration of Orket. Failures of the measured system are never exceptions: they
 * are data in the run telemetry record.
 *
 * @since 0.1
 */
public class OrketException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OrketException(String message) {
        super(message);
    }

    public OrketException(String message, Throwable cause) {
        super(message, cause);
    }
}
