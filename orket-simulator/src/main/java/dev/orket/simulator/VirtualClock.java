package dev.orket.simulator;

import dev.orket.api.MonotonicClock;
import java.time.Duration;
import java.util.Objects;

/**
 * A monotonic clock that moves only when told to, so that every timestamp of a run is exact.
 * Thread-safe: the scripted server advances it while the client's recorder reads it.
 *
 * @since 0.1
 */
public final class VirtualClock implements MonotonicClock {

    private long nanos;

    /** A clock at time zero. */
    public VirtualClock() {
        this(0L);
    }

    private VirtualClock(long startNanos) {
        this.nanos = startNanos;
    }

    /** A clock at the given time since its origin. */
    public static VirtualClock at(Duration sinceOrigin) {
        return new VirtualClock(sinceOrigin.toNanos());
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    /** The time since the clock's origin, never null. */
    public synchronized Duration now() {
        return Duration.ofNanos(nanos);
    }

    /**
     * Moves the clock to the given time since its origin.
     *
     * @throws IllegalArgumentException when the time is earlier than now: a monotonic clock never goes back
     */
    public synchronized void advanceTo(Duration sinceOrigin) {
        long target = Objects.requireNonNull(sinceOrigin, "sinceOrigin").toNanos();
        if (target < nanos) {
            throw new IllegalArgumentException("a monotonic clock never goes back: now " + Duration.ofNanos(nanos)
                    + ", asked for " + sinceOrigin);
        }
        nanos = target;
    }

    /**
     * Moves the clock forward by the given amount.
     *
     * @throws IllegalArgumentException when the amount is negative
     */
    public synchronized void advanceBy(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount must be >= 0 but was " + amount);
        }
        nanos += amount.toNanos();
    }

    /** Moves the clock to the given time unless it is already later; returns the time now. */
    public synchronized Duration advanceToAtLeast(Duration sinceOrigin) {
        nanos = Math.max(nanos, sinceOrigin.toNanos());
        return Duration.ofNanos(nanos);
    }

    @Override
    public String toString() {
        return "VirtualClock[" + now() + "]";
    }
}
