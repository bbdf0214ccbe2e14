package dev.orket.core.telemetry;

import dev.orket.api.spi.WireEvent;

/**
 * Observes every event a recorder accepts, after its state changed. Used by scripted servers to
 * advance a virtual clock in lock-step with the client; must not block for long.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface RecordingListener {

    /** A listener that does nothing. */
    RecordingListener NONE = (event, nanos, state) -> {};

    /** Called once per accepted event with its timestamp and the state it led to. */
    void recorded(WireEvent event, long nanos, RunState state);
}
