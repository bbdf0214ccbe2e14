package dev.orket.api.spi;

import dev.orket.api.SidecarReading;

/**
 * One background sampling session, started before a run and stopped after it.
 *
 * @since 0.1
 */
public interface SidecarSession extends AutoCloseable {

    /**
     * Stops sampling within the sidecar's deadline, reaping any process it started, and returns what
     * was observed. Never throws for tool failures; idempotent.
     */
    SidecarReading stop();

    /** Same as {@link #stop()}, discarding the reading. */
    @Override
    default void close() {
        stop();
    }
}
