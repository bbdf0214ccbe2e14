package dev.orket.api.spi;

import java.util.function.Consumer;

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

    /**
     * Registers what the provider does when the caller cancels the run: the action is called at most
     * once, with the caller's reason, on the cancelling thread (at once when the run was cancelled
     * already). The provider then aborts the exchange and reports {@link WireEvent.Cancelled} with
     * that reason. A recorder that cannot be cancelled ignores the registration (the default); a
     * provider that registers nothing is interrupted instead.
     *
     * @param action what to do, given the reason; never null
     * @since 0.2
     */
    default void whenCancelled(Consumer<String> action) {}
}
