package dev.orket.api.spi;

import dev.orket.api.MonotonicClock;
import dev.orket.api.SidecarReading;

/**
 * Samples GPU state while runs are measured. Never fails a run: a missing, broken or hanging tool
 * is a {@code NOT_APPLICABLE} reading, not an exception.
 *
 * @since 0.1
 */
public interface GpuSidecar extends AutoCloseable {

    /** The id of the factory that made this sidecar. */
    String id();

    /** Takes one sample of every GPU now, within the sidecar's deadline. Never throws for tool failures. */
    SidecarReading sampleOnce();

    /**
     * Starts sampling in the background until the session is stopped.
     *
     * @param clock the run's clock; sample offsets are measured on it
     */
    SidecarSession start(MonotonicClock clock);

    /** Stops every session still running; the sidecar is unusable afterwards. */
    @Override
    default void close() {}
}
