package dev.orket.core.telemetry;

import dev.orket.api.MonotonicClock;

/** A monotonic clock the test moves by hand. */
public final class ManualClock implements MonotonicClock {
    private long nanos;

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    public synchronized void advanceMillis(long millis) {
        nanos += millis * 1_000_000L;
    }
}
