package dev.orket.core.sweep;

import dev.orket.api.OrketException;

/**
 * The sweep's thread was interrupted; the ledgers hold every run finished so far, so the sweep can resume.
 *
 * @since 0.1
 */
public final class SweepInterruptedException extends OrketException {
    private static final long serialVersionUID = 1L;

    public SweepInterruptedException(String message) {
        super(message);
    }
}
