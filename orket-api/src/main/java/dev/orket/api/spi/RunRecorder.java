package dev.orket.api.spi;

/**
 * Receives the canonical events of one run, in order, from the provider executing it. Orket's core
 * owns the implementation: it timestamps each event on its monotonic clock and checks each
 * transition of the run's state machine.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface RunRecorder {

    /**
     * Records one event.
     *
     * @throws dev.orket.api.spi.IllegalTransitionException when the event is illegal in the run's
     *     current state: a provider bug
     */
    void record(WireEvent event);
}
