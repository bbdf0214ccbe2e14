package dev.orket.api.spi;

import dev.orket.api.OrketException;
import java.util.List;

/**
 * A provider reported an event that is illegal in the run's current state: a provider bug.
 *
 * @since 0.1
 */
public final class IllegalTransitionException extends OrketException {
    private static final long serialVersionUID = 1L;

    private final String state;
    private final String event;
    private final List<String> history;

    public IllegalTransitionException(String state, String event, List<String> history) {
        super("Illegal event " + event + " in state " + state + "; events so far " + history
                + ". The provider must report events in the order of the canonical state machine"
                + " (docs/state-machine.md).");
        this.state = state;
        this.event = event;
        this.history = List.copyOf(history);
    }

    /** The state the run was in. */
    public String state() {
        return state;
    }

    /** The event that was refused. */
    public String event() {
        return event;
    }

    /** The events accepted before it, oldest first. */
    public List<String> history() {
        return history;
    }
}
