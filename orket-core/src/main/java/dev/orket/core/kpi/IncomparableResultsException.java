package dev.orket.core.kpi;

import dev.orket.api.OrketException;

/**
 * Results from different execution lanes or VRAM profiles (or, for a frontier, different models)
 * were put into one comparison. Group by them instead.
 *
 * @since 0.1
 */
public final class IncomparableResultsException extends OrketException {
    private static final long serialVersionUID = 1L;

    public IncomparableResultsException(String message) {
        super(message);
    }
}
