package dev.orket.core.sweep;

import java.time.Duration;

/**
 * Waits; injected so that thermal-gate and cooldown tests run on a virtual clock.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Sleeper {

    /** Real sleeping. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
