package dev.orket.core.sweep;

/**
 * Receives a sweep's {@link SweepEvent}s, on the sweep's thread, in order. A listener that throws is logged and
 * never stops the sweep.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SweepListener {

    /** A listener that ignores everything. */
    SweepListener NONE = event -> {};

    /** Called once per event. */
    void onEvent(SweepEvent event);
}
